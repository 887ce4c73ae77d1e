/// Kubernetes `metav1.ManagedFieldsOperationType` (`Apply` or `Update`); an open set of strings.
/// Value type; Sendable.
public struct ManagedFieldsOperation: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let apply = ManagedFieldsOperation(rawValue: "Apply")
    public static let update = ManagedFieldsOperation(rawValue: "Update")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
