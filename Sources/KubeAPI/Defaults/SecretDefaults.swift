import KubeCore

extension Secret {
    /// Upstream `SetDefaults_Secret` (`type: Opaque`) and the v1 conversion that merges the write-only
    /// `stringData` into `data` (overwriting existing keys) and drops it.
    public mutating func applyDefaults() {
        if type.isEmpty {
            type = "Opaque"
        }
        for (key, value) in stringData {
            data[key] = Array(value.utf8)
        }
        stringData = [:]
    }
}
