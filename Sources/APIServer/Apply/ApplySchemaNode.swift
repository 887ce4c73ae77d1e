import KubeAPI
import KubeCore

/// An ``ApplySchema`` resolved ahead of time into a graph of nodes: struct members in a dictionary, list
/// and map element nodes at hand, one node per struct type (so recursive types are cycles). Walking it
/// costs one dictionary lookup per member instead of a field scan, a registry lookup and schema copies.
/// It answers exactly as the ``ApplySchema`` it was built from: ``resolved(for:)``, ``isAtomic``,
/// ``member(_:)`` (undeclared members are deduced) and the list kinds.
///
/// Reference type; Sendable: every node is filled in while its graph is built, before the root is
/// returned, and never changes afterwards (the graph is kept for the life of the process).
final class ApplySchemaNode: @unchecked Sendable {
    /// The kind of value a node describes.
    enum Shape: Sendable {
        case scalar
        case deduced
        case structure(atomic: Bool)
        case map
        case list(ApplySchema.ListKind)
    }

    /// A declared struct member: its node and its FieldsV1 member name (`f:<name>`), made once.
    struct Member: Sendable {
        let node: ApplySchemaNode
        let fieldsV1Key: String
    }

    let shape: Shape
    /// Declared members of a struct (with `apiVersion` and `kind` at the root).
    private(set) var members: [String: Member] = [:]
    /// The value node of a map, the entry node of a list.
    private(set) var element: ApplySchemaNode?

    private init(_ shape: Shape) { self.shape = shape }

    static let scalar = ApplySchemaNode(.scalar)
    static let deduced = ApplySchemaNode(.deduced)
    /// What a deduced array is: an atomic list of deduced values.
    static let deducedList: ApplySchemaNode = {
        let node = ApplySchemaNode(.list(.atomic))
        node.element = deduced
        return node
    }()

    /// The graph of `schema`.
    static func build(_ schema: ApplySchema) -> ApplySchemaNode {
        var structs: [String: ApplySchemaNode] = [:]
        return build(schema, structs: &structs)
    }

    private static func build(_ schema: ApplySchema, structs: inout [String: ApplySchemaNode]) -> ApplySchemaNode {
        switch schema {
        case .scalar:
            return scalar
        case .deduced:
            return deduced
        case .map(let value):
            let node = ApplySchemaNode(.map)
            node.element = build(value, structs: &structs)
            return node
        case .list(let element, let kind):
            let node = ApplySchemaNode(.list(kind))
            node.element = build(element, structs: &structs)
            return node
        case .structure(let typeSchema, let root):
            let key = (root ? "root:" : "") + typeSchema.name
            if let built = structs[key] { return built }
            let node = ApplySchemaNode(.structure(atomic: schema.isAtomic))
            structs[key] = node
            var members: [String: Member] = [:]
            var names = typeSchema.fields.map(\.name)
            if root { names += ["apiVersion", "kind"] }
            for name in names where members[name] == nil {
                if let member = schema.member(name) {
                    members[name] = Member(node: build(member, structs: &structs),
                                           fieldsV1Key: PathElement.field(name).fieldsV1Key)
                }
            }
            node.members = members
            return node
        }
    }

    /// ``ApplySchema/resolved(for:)``: a deduced node takes the shape of the value.
    func resolved(for value: JSONValue) -> ApplySchemaNode {
        guard case .deduced = shape else { return self }
        switch value {
        case .object: return self
        case .array: return Self.deducedList
        default: return Self.scalar
        }
    }

    /// ``ApplySchema/isAtomic``.
    var isAtomic: Bool {
        switch shape {
        case .scalar: true
        case .structure(let atomic): atomic
        case .list(.atomic): true
        default: false
        }
    }

    /// ``ApplySchema/member(_:)``, with undeclared struct members (and members of anything else) deduced.
    func member(_ name: String) -> ApplySchemaNode {
        switch shape {
        case .structure: members[name]?.node ?? Self.deduced
        case .map: element ?? Self.deduced
        default: Self.deduced
        }
    }

    /// ``member(_:)`` with the member's FieldsV1 name when it is a declared struct member (nil otherwise).
    func memberAndKey(_ name: String) -> (node: ApplySchemaNode, fieldsV1Key: String?) {
        switch shape {
        case .structure:
            if let member = members[name] { return (member.node, member.fieldsV1Key) }
            return (Self.deduced, nil)
        case .map: return (element ?? Self.deduced, nil)
        default: return (Self.deduced, nil)
        }
    }

    /// ``ApplySchema/element``: the entry node of a list.
    var entry: ApplySchemaNode {
        if case .list = shape, let element { return element }
        return Self.deduced
    }

    /// Whether the node is a deduced one.
    var isDeduced: Bool {
        if case .deduced = shape { return true }
        return false
    }
}

