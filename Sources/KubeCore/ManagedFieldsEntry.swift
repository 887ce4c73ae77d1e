/// Kubernetes `metav1.ManagedFieldsEntry`: which manager owns which fields (server-side apply).
///
/// `fieldsV1` is kept as opaque JSON. Every member is `omitempty`.
/// Value type; Sendable.
public struct ManagedFieldsEntry: Codable, Hashable, Sendable {
    public var manager: String
    public var operation: ManagedFieldsOperation
    public var apiVersion: String
    public var time: RFC3339Time?
    public var fieldsType: String
    public var fieldsV1: JSONValue?
    public var subresource: String

    public init(
        manager: String = "",
        operation: ManagedFieldsOperation = "",
        apiVersion: String = "",
        time: RFC3339Time? = nil,
        fieldsType: String = "",
        fieldsV1: JSONValue? = nil,
        subresource: String = ""
    ) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.fieldsType = fieldsType
        self.fieldsV1 = fieldsV1
        self.subresource = subresource
    }

    private enum CodingKeys: String, CodingKey {
        case manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        manager = try container.decode(String.self, forKey: .manager, orDefault: "")
        operation = try container.decode(ManagedFieldsOperation.self, forKey: .operation, orDefault: "")
        apiVersion = try container.decode(String.self, forKey: .apiVersion, orDefault: "")
        time = try container.decodeIfPresent(RFC3339Time.self, forKey: .time)
        fieldsType = try container.decode(String.self, forKey: .fieldsType, orDefault: "")
        let fields = try container.decodeIfPresent(JSONValue.self, forKey: .fieldsV1)
        fieldsV1 = fields == .null ? nil : fields
        subresource = try container.decode(String.self, forKey: .subresource, orDefault: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(manager, forKey: .manager)
        try container.encodeUnlessEmpty(operation.rawValue, forKey: .operation)
        try container.encodeUnlessEmpty(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(time, forKey: .time)
        try container.encodeUnlessEmpty(fieldsType, forKey: .fieldsType)
        try container.encodeIfPresent(fieldsV1, forKey: .fieldsV1)
        try container.encodeUnlessEmpty(subresource, forKey: .subresource)
    }
}
