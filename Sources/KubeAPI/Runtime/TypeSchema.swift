/// The shape of one API type, generated from its YAML definition (or written by hand for the
/// KubeCore types in ``KubeCoreSchemas``). Feeds OpenAPI, `kubectl explain`, strategic merge patch,
/// server-side apply and protobuf. Value type; Sendable.
public struct TypeSchema: Hashable, Sendable {
    /// The Swift type name (the registry key), e.g. `Deployment` or `EventsV1Event`.
    public var name: String
    /// The upstream Go type name, e.g. `Event` (the kind, for resources).
    public var goName: String
    /// API group (`""` for core; `meta.k8s.io` for the KubeCore meta types).
    public var group: String
    public var version: String
    public var doc: String
    /// The upstream OpenAPI definition name, e.g. `io.k8s.api.apps.v1.Deployment` or
    /// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`.
    public var openAPIName: String
    /// `atomic` when the object is replaced as a whole by apply and patch (`+structType=atomic`).
    public var structType: String?
    /// Fields in declaration (and JSON encoding) order.
    public var fields: [FieldSchema]

    public init(
        name: String,
        goName: String? = nil,
        group: String,
        version: String,
        doc: String = "",
        openAPIName: String,
        structType: String? = nil,
        fields: [FieldSchema]
    ) {
        self.name = name
        self.goName = goName ?? name
        self.group = group
        self.version = version
        self.doc = doc
        self.openAPIName = openAPIName
        self.structType = structType
        self.fields = fields
    }

    /// The field whose JSON name is `name`.
    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }

    /// JSON names of the fields marked `required`.
    public var requiredFields: [String] { fields.filter(\.required).map(\.name) }
}

/// One field of a ``TypeSchema``. Value type; Sendable.
public struct FieldSchema: Hashable, Sendable {
    /// The JSON member name (also the Swift property name, backquoted when it is a keyword).
    public var name: String
    public var type: FieldType
    public var doc: String
    /// A Go pointer: Swift optional, omitted when nil.
    public var pointer: Bool
    /// A Go field without `omitempty`: encoded even when empty.
    public var always: Bool
    /// OpenAPI `required`.
    public var required: Bool
    /// `merge`, `retainKeys`, `merge,retainKeys` or `replace` (`x-kubernetes-patch-strategy`).
    public var patchStrategy: String?
    /// `x-kubernetes-patch-merge-key`.
    public var patchMergeKey: String?
    /// `atomic`, `set` or `map` (`x-kubernetes-list-type`).
    public var listType: String?
    /// `x-kubernetes-list-map-keys`.
    public var listMapKeys: [String]
    /// Allowed string values (documentation only).
    public var enumValues: [String]
    /// The upstream protobuf field number.
    public var protoNumber: Int?
    /// An explicit OpenAPI `format` (`int32`, `date-time`, `byte`, `int-or-string`, ...).
    public var format: String?

    public init(
        _ name: String,
        _ type: FieldType,
        protoNumber: Int? = nil,
        doc: String = "",
        pointer: Bool = false,
        always: Bool = false,
        required: Bool = false,
        patchStrategy: String? = nil,
        patchMergeKey: String? = nil,
        listType: String? = nil,
        listMapKeys: [String] = [],
        enumValues: [String] = [],
        format: String? = nil
    ) {
        self.name = name
        self.type = type
        self.protoNumber = protoNumber
        self.doc = doc
        self.pointer = pointer
        self.always = always
        self.required = required
        self.patchStrategy = patchStrategy
        self.patchMergeKey = patchMergeKey
        self.listType = listType
        self.listMapKeys = listMapKeys
        self.enumValues = enumValues
        self.format = format
    }
}

/// The type of a ``FieldSchema``; ``description`` spells it as the YAML does (`[]Container`,
/// `map[string]Quantity`). Value type; Sendable.
public indirect enum FieldType: Hashable, Sendable, CustomStringConvertible {
    case string
    case int32
    case int64
    case bool
    case double
    /// `[UInt8]`, base64 in JSON.
    case bytes
    case quantity
    case intOrString
    /// `RFC3339Time`.
    case time
    case microTime
    /// Any JSON (`JSONValue`).
    case json
    /// A struct, by Swift type name (a key of `APIRegistry.schemas`).
    case object(String)
    case array(FieldType)
    /// `map[string]T`.
    case map(FieldType)

    public var description: String {
        switch self {
        case .string: "string"
        case .int32: "int32"
        case .int64: "int64"
        case .bool: "bool"
        case .double: "double"
        case .bytes: "bytes"
        case .quantity: "Quantity"
        case .intOrString: "IntOrString"
        case .time: "Time"
        case .microTime: "MicroTime"
        case .json: "JSON"
        case .object(let name): name
        case .array(let element): "[]" + element.description
        case .map(let value): "map[string]" + value.description
        }
    }

    /// The struct this type refers to, looking through arrays and maps.
    public var referencedTypeName: String? {
        switch self {
        case .object(let name): name
        case .array(let element), .map(let element): element.referencedTypeName
        default: nil
        }
    }
}
