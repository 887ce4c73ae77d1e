import KubeAPI

/// How one protobuf message maps onto the JSON fields of a ``TypeSchema``: field number → field, plus
/// the nested messages of Go structs embedded inline (``ProtobufSchemaAdditions/embeddedMessages``).
/// Shared by the decoder and (in tests) the encoder.
///
/// Value type; Sendable. The layouts of all registry types are built once, on first use.
struct ProtobufMessageLayout: Sendable {
    enum Slot: Sendable {
        /// A field of the JSON object.
        case field(FieldSchema)
        /// A nested message whose fields belong to the enclosing JSON object.
        case embedded(ProtobufMessageLayout)
    }

    /// The schema's Swift type name.
    let typeName: String
    /// The JSON fields this message carries, in schema order (for an embedded message: its subset).
    let fields: [FieldSchema]
    let slots: [Int: Slot]

    init(typeName: String, fields: [FieldSchema], slots: [Int: Slot]) {
        self.typeName = typeName
        self.fields = fields
        self.slots = slots
    }

    /// The layout of `schema`, with ``ProtobufSchemaAdditions`` applied. Fields that have neither a
    /// proto number nor an embedding are not on the wire and are left out of ``slots``.
    init(schema: TypeSchema) {
        let overrides = ProtobufSchemaAdditions.fieldTypeOverrides[schema.name] ?? [:]
        let embeddings = ProtobufSchemaAdditions.embeddedMessages[schema.name] ?? [:]
        var fields: [FieldSchema] = []
        var slots: [Int: Slot] = [:]
        var embedded: [Int: [(number: Int, field: FieldSchema)]] = [:]
        for var field in schema.fields {
            if let type = overrides[field.name] { field.type = type }
            fields.append(field)
            if let number = field.protoNumber {
                slots[number] = .field(field)
                continue
            }
            for (outer, numbers) in embeddings {
                if let inner = numbers[field.name] { embedded[outer, default: []].append((inner, field)) }
            }
        }
        for (outer, members) in embedded where slots[outer] == nil {
            let innerSlots = Dictionary(members.map { ($0.number, Slot.field($0.field)) }, uniquingKeysWith: { a, _ in a })
            slots[outer] = .embedded(
                ProtobufMessageLayout(typeName: schema.name, fields: members.map(\.field), slots: innerSlots))
        }
        self.init(typeName: schema.name, fields: fields, slots: slots)
    }

    /// The layout of the registry type (or ``ProtobufSchemaAdditions/schemas`` type) called `name`.
    static func named(_ name: String) -> ProtobufMessageLayout? {
        all[name]
    }

    /// The schema called `name`: the registry's, else one of ``ProtobufSchemaAdditions/schemas``.
    static func schema(named name: String) -> TypeSchema? {
        APIRegistry.schema(named: name) ?? ProtobufSchemaAdditions.schemas[name]
    }

    private static let all: [String: ProtobufMessageLayout] = {
        let schemas = Array(APIRegistry.schemas.values) + Array(ProtobufSchemaAdditions.schemas.values)
        return Dictionary(schemas.map { ($0.name, ProtobufMessageLayout(schema: $0)) }, uniquingKeysWith: { a, _ in a })
    }()
}
