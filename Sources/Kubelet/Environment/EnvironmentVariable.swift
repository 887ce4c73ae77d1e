/// One `NAME=value` pair of a container's environment, in the order the runtime receives it.
///
/// Value type; Sendable.
public struct EnvironmentVariable: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `NAME=value`, the OCI `process.env` form.
    public var description: String { "\(name)=\(value)" }
}
