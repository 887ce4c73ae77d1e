/// A container's environment as the kubelet hands it to the runtime, plus the envFrom keys it skipped.
///
/// Value type; Sendable.
public struct ResolvedEnvironment: Sendable, Equatable {
    /// In order: envFrom variables (sources in order, keys sorted within a source), then `env` in
    /// declaration order, then service variables not defined before; a name defined again keeps its
    /// first position and takes the later value.
    public var variables: [EnvironmentVariable]
    /// envFrom keys that are not valid variable names, by source; the kubelet records them as an
    /// `InvalidEnvironmentVariableNames` warning event (``SkippedEnvironmentKeys/eventMessage``).
    public var skipped: [SkippedEnvironmentKeys]

    public init(variables: [EnvironmentVariable], skipped: [SkippedEnvironmentKeys] = []) {
        self.variables = variables
        self.skipped = skipped
    }

    /// `["NAME=value", …]` for the OCI process.
    public var ociEnvironment: [String] { variables.map(\.description) }

    /// Name -> value (the last definition wins).
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for variable in variables { result[variable.name] = variable.value }
        return result
    }
}

/// envFrom keys of one ConfigMap or Secret that were skipped because they are not valid variable names.
///
/// Value type; Sendable.
public struct SkippedEnvironmentKeys: Sendable, Equatable {
    public static let eventReason = "InvalidEnvironmentVariableNames"

    /// "configMap" or "secret".
    public var sourceKind: String
    public var namespace: String
    public var name: String
    public var keys: [String]

    public init(sourceKind: String, namespace: String, name: String, keys: [String]) {
        self.sourceKind = sourceKind
        self.namespace = namespace
        self.name = name
        self.keys = keys
    }

    /// Upstream's warning event text.
    public var eventMessage: String {
        "Keys [\(keys.joined(separator: ", "))] from the EnvFrom \(sourceKind) \(namespace)/\(name) were skipped since they are considered invalid environment variable names."
    }
}
