import KubeAPI
import KubeCore

/// The shape of a value as server-side apply sees it, derived from KubeAPI's ``TypeSchema``s the way
/// upstream converts OpenAPI into structured-merge-diff schemas:
///
/// - a struct merges field by field unless it is `structType: atomic`;
/// - `map[string]T` merges entry by entry;
/// - a list is `atomic` (replaced whole), a `set` (of scalars, by value) or a `map` (of objects, by its
///   `listMapKeys`), from `listType`; without one, `patchStrategy: merge` makes it a map keyed by
///   `patchMergeKey` (or a set of scalars), and anything else is atomic;
/// - free-form JSON is "deduced": objects merge by member, lists are atomic.
///
/// Value type; Sendable. Struct nodes resolve their fields lazily, so recursive types are fine.
indirect enum ApplySchema: Sendable {
    case scalar
    case deduced
    /// A struct; `root` adds the `apiVersion` and `kind` members every object has.
    case structure(TypeSchema, root: Bool)
    case map(value: ApplySchema)
    case list(element: ApplySchema, kind: ListKind)

    /// How a list's entries are told apart.
    enum ListKind: Hashable, Sendable {
        case atomic
        case set
        case map(keys: [String])
    }

    /// The schema of a whole object of `typeSchema`'s kind.
    static func root(_ typeSchema: TypeSchema) -> ApplySchema { .structure(typeSchema, root: true) }

    /// The schema of a field of type `type`; `field` carries the list facts.
    static func of(_ type: FieldType, field: FieldSchema? = nil) -> ApplySchema {
        switch type {
        case .object(let name):
            guard let schema = APIRegistry.schema(named: name) else { return .deduced }
            return .structure(schema, root: false)
        case .map(let value):
            return .map(value: of(value))
        case .array(let element):
            return .list(element: of(element), kind: listKind(field: field, element: element))
        case .json:
            return .deduced
        default:
            return .scalar
        }
    }

    private static func listKind(field: FieldSchema?, element: FieldType) -> ListKind {
        let elementIsObject: Bool
        if case .object = element { elementIsObject = true } else { elementIsObject = false }
        switch field?.listType {
        case "atomic": return .atomic
        case "set": return .set
        case "map": return .map(keys: field?.listMapKeys ?? [])
        default: break
        }
        guard let field, field.patchStrategy?.split(separator: ",").contains("merge") == true else { return .atomic }
        if let key = field.patchMergeKey, elementIsObject { return .map(keys: [key]) }
        return elementIsObject ? .atomic : .set
    }

    /// Whether the value is replaced as a whole (an atomic struct or list, or a scalar).
    var isAtomic: Bool {
        switch self {
        case .scalar: true
        case .structure(let schema, _): schema.structType == "atomic"
        case .list(_, .atomic): true
        default: false
        }
    }

    /// Whether `name` is a declared field of this struct (named fields are what upstream
    /// `EnsureNamedFieldsAreMembers` adds).
    func declares(_ name: String) -> Bool {
        guard case .structure(let schema, let root) = self else { return false }
        return schema.field(named: name) != nil || (root && (name == "apiVersion" || name == "kind"))
    }

    /// The schema of member `name` of a struct or map; nil for a member a struct does not declare.
    func member(_ name: String) -> ApplySchema? {
        switch self {
        case .structure(let schema, let root):
            if let field = schema.field(named: name) { return .of(field.type, field: field) }
            if root && (name == "apiVersion" || name == "kind") { return .scalar }
            return nil
        case .map(let value): return value
        case .deduced: return .deduced
        default: return nil
        }
    }

    /// The schema of the entries of a list.
    var element: ApplySchema {
        if case .list(let element, _) = self { return element }
        return .deduced
    }

    /// The schema under one path step (unknown steps are deduced).
    func child(_ element: PathElement) -> ApplySchema {
        switch element {
        case .field(let name): member(name) ?? .deduced
        case .key, .value, .index: self.element
        }
    }

    /// For a deduced value: lists are atomic, objects merge by member, everything else is a scalar.
    func resolved(for value: JSONValue?) -> ApplySchema {
        guard case .deduced = self else { return self }
        switch value {
        case .object?: return .deduced
        case .array?: return .list(element: .deduced, kind: .atomic)
        default: return .scalar
        }
    }

    /// Whether objects of this node merge by member (a non-atomic struct, a map, or a deduced object).
    var mergesMembers: Bool {
        switch self {
        case .structure(let schema, _): schema.structType != "atomic"
        case .map, .deduced: true
        default: false
        }
    }
}
