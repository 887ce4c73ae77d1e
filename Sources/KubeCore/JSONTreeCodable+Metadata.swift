import Foundation

// ``JSONTreeCodable`` for KubeCore's own API value types, mirroring each type's `init(from:)` and
// `encode(to:)` member by member. Anything those would reject declines (``JSONTreeMismatch``), so the
// `Codable` path produces the error.

extension ObjectMeta: JSONTreeCodable {
    /// Visits the members present (the key's UTF-8 length picks the candidates) instead of looking up each
    /// of the fifteen fields.
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        self.init()
        for (key, member) in try JSONTree.members(jsonTree) {
            switch key.utf8.count {
            case 3: if key == "uid" { uid = try JSONTree.value(member, orZero: "") }
            case 4: if key == "name" { name = try JSONTree.value(member, orZero: "") }
            case 6: if key == "labels" { labels = try JSONTree.value(member, orZero: [:]) }
            case 8: if key == "selfLink" { selfLink = try JSONTree.value(member, orZero: "") }
            case 9: if key == "namespace" { namespace = try JSONTree.value(member, orZero: "") }
            case 10:
                if key == "generation" {
                    generation = try JSONTree.value(member, orZero: 0)
                } else if key == "finalizers" {
                    finalizers = try JSONTree.value(member, orZero: [])
                }
            case 11: if key == "annotations" { annotations = try JSONTree.value(member, orZero: [:]) }
            case 12: if key == "generateName" { generateName = try JSONTree.value(member, orZero: "") }
            case 13: if key == "managedFields" { managedFields = try JSONTree.value(member, orZero: []) }
            case 15:
                if key == "resourceVersion" {
                    resourceVersion = try JSONTree.value(member, orZero: "")
                } else if key == "ownerReferences" {
                    ownerReferences = try JSONTree.value(member, orZero: [])
                }
            case 17:
                if key == "creationTimestamp" {
                    creationTimestamp = try JSONTree.optional(member)
                } else if key == "deletionTimestamp" {
                    deletionTimestamp = try JSONTree.optional(member)
                }
            case 26:
                if key == "deletionGracePeriodSeconds" { deletionGracePeriodSeconds = try JSONTree.optional(member) }
            default: break
            }
        }
    }

    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(8)
        if !name.isEmpty { members["name"] = .string(name) }
        if !generateName.isEmpty { members["generateName"] = .string(generateName) }
        if !namespace.isEmpty { members["namespace"] = .string(namespace) }
        if !selfLink.isEmpty { members["selfLink"] = .string(selfLink) }
        if !uid.isEmpty { members["uid"] = .string(uid) }
        if !resourceVersion.isEmpty { members["resourceVersion"] = .string(resourceVersion) }
        if generation != 0 { members["generation"] = .integer(generation) }
        members["creationTimestamp"] = try creationTimestamp?.jsonTree() ?? .null
        if let deletionTimestamp { members["deletionTimestamp"] = try deletionTimestamp.jsonTree() }
        if let deletionGracePeriodSeconds { members["deletionGracePeriodSeconds"] = .integer(deletionGracePeriodSeconds) }
        if !labels.isEmpty { members["labels"] = .object(labels.mapValues { .string($0) }) }
        if !annotations.isEmpty { members["annotations"] = .object(annotations.mapValues { .string($0) }) }
        if !ownerReferences.isEmpty { members["ownerReferences"] = try ownerReferences.jsonTree() }
        if !finalizers.isEmpty { members["finalizers"] = .array(finalizers.map { .string($0) }) }
        if !managedFields.isEmpty { members["managedFields"] = try managedFields.jsonTree() }
        return .object(members)
    }
}

extension ListMeta: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let members = try JSONTree.members(jsonTree)
        selfLink = try JSONTree.value(members["selfLink"], orZero: "")
        resourceVersion = try JSONTree.value(members["resourceVersion"], orZero: "")
        continueToken = try JSONTree.value(members["continue"], orZero: "")
        remainingItemCount = try JSONTree.optional(members["remainingItemCount"])
    }

    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !selfLink.isEmpty { members["selfLink"] = .string(selfLink) }
        if !resourceVersion.isEmpty { members["resourceVersion"] = .string(resourceVersion) }
        if !continueToken.isEmpty { members["continue"] = .string(continueToken) }
        if let remainingItemCount { members["remainingItemCount"] = .integer(remainingItemCount) }
        return .object(members)
    }
}

extension LabelSelector: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let members = try JSONTree.members(jsonTree)
        self.init(matchLabels: try JSONTree.value(members["matchLabels"], orZero: [:]),
                  matchExpressions: try JSONTree.value(members["matchExpressions"], orZero: []))
    }

    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !matchLabels.isEmpty { members["matchLabels"] = .object(matchLabels.mapValues { .string($0) }) }
        if !matchExpressions.isEmpty { members["matchExpressions"] = .array(matchExpressions.map { $0.jsonTree() }) }
        return .object(members)
    }
}

extension LabelSelectorRequirement: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let members = try JSONTree.members(jsonTree)
        self.init(key: try JSONTree.value(members["key"], orZero: ""),
                  operator: try JSONTree.value(members["operator"], orZero: ""),
                  values: try JSONTree.value(members["values"], orZero: []))
    }

    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = ["key": .string(key), "operator": .string(self.operator.rawValue)]
        if !values.isEmpty { members["values"] = .array(values.map { .string($0) }) }
        return .object(members)
    }
}

extension LabelSelectorOperator: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        self.init(rawValue: try String(jsonTree: jsonTree))
    }

    public func jsonTree() -> JSONValue { .string(rawValue) }
}

extension OwnerReference: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let members = try JSONTree.members(jsonTree)
        self.init(apiVersion: try JSONTree.value(members["apiVersion"], orZero: ""),
                  kind: try JSONTree.value(members["kind"], orZero: ""),
                  name: try JSONTree.value(members["name"], orZero: ""),
                  uid: try JSONTree.value(members["uid"], orZero: ""),
                  controller: try JSONTree.optional(members["controller"]),
                  blockOwnerDeletion: try JSONTree.optional(members["blockOwnerDeletion"]))
    }

    public func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { members["controller"] = .bool(controller) }
        if let blockOwnerDeletion { members["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .object(members)
    }
}

extension ManagedFieldsEntry: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let members = try JSONTree.members(jsonTree)
        self.init(manager: try JSONTree.value(members["manager"], orZero: ""),
                  operation: try JSONTree.value(members["operation"], orZero: ""),
                  apiVersion: try JSONTree.value(members["apiVersion"], orZero: ""),
                  time: try JSONTree.optional(members["time"]),
                  fieldsType: try JSONTree.value(members["fieldsType"], orZero: ""),
                  fieldsV1: try JSONTree.optional(members["fieldsV1"]),
                  subresource: try JSONTree.value(members["subresource"], orZero: ""))
    }

    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !manager.isEmpty { members["manager"] = .string(manager) }
        if !operation.rawValue.isEmpty { members["operation"] = .string(operation.rawValue) }
        if !apiVersion.isEmpty { members["apiVersion"] = .string(apiVersion) }
        if let time { members["time"] = try time.jsonTree() }
        if !fieldsType.isEmpty { members["fieldsType"] = .string(fieldsType) }
        if let fieldsV1 { members["fieldsV1"] = fieldsV1 }
        if !subresource.isEmpty { members["subresource"] = .string(subresource) }
        return .object(members)
    }
}

extension ManagedFieldsOperation: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        self.init(rawValue: try String(jsonTree: jsonTree))
    }

    public func jsonTree() -> JSONValue { .string(rawValue) }
}

extension RFC3339Time: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .string(let text) = jsonTree, let time = try? RFC3339Time(parsing: text) else {
            throw JSONTreeMismatch()
        }
        self = time
    }

    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        guard (0...9999).contains(CivilTime.year(ofSecondsSince1970: secondsSince1970)) else { throw JSONTreeMismatch() }
        return .string(description)
    }
}

extension MicroTime: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .string(let text) = jsonTree, let time = try? MicroTime(parsing: text) else {
            throw JSONTreeMismatch()
        }
        self = time
    }

    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        let seconds = CivilTime.floorDivide(microsecondsSince1970, 1_000_000)
        guard (0...9999).contains(CivilTime.year(ofSecondsSince1970: seconds)) else { throw JSONTreeMismatch() }
        return .string(description)
    }
}

extension Quantity: JSONTreeCodable {
    /// A string, or a number read as its integer or decimal text (as the `Codable` path reads it).
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        let text: String
        switch jsonTree {
        case .string(let string): text = Self.trimmingSpace(string)
        case .integer(let number): text = String(number)
        case .number(let number):
            if let exact = Int64(exactly: number) {
                text = String(exact)
            } else if number.isFinite, let decimal = Decimal(string: "\(number)") {
                text = decimal.description
            } else {
                throw JSONTreeMismatch()
            }
        default: throw JSONTreeMismatch()
        }
        guard let quantity = try? QuantityParser.parse(text) else { throw JSONTreeMismatch() }
        self = quantity
    }

    public func jsonTree() -> JSONValue { .string(description) }

    /// `string` without leading and trailing white space; Foundation trims only when an end is not a
    /// visible ASCII character.
    static func trimmingSpace(_ string: String) -> String {
        let utf8 = string.utf8
        guard let first = utf8.first, let last = utf8.last else { return string }
        let visible: ClosedRange<UInt8> = 0x21...0x7E
        if visible.contains(first) && visible.contains(last) { return string }
        return string.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension IntOrString: JSONTreeCodable {
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        switch jsonTree {
        case .integer, .number: self = .int(try Int32(jsonTree: jsonTree))
        case .string(let text): self = .string(text)
        default: throw JSONTreeMismatch()
        }
    }

    public func jsonTree() -> JSONValue {
        switch self {
        case .int(let value): .integer(Int64(value))
        case .string(let text): .string(text)
        }
    }
}
