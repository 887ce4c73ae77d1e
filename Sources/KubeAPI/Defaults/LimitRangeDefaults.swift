import KubeCore

extension LimitRange {
    /// Upstream `SetDefaults_LimitRangeItem` for Container items: the default limit falls back to `max`,
    /// the default request to the default limit, then to `min`.
    public mutating func applyDefaults() {
        for index in spec.limits.indices where spec.limits[index].type == "Container" {
            var item = spec.limits[index]
            for (name, value) in item.max where item.default[name] == nil {
                item.default[name] = value
            }
            for (name, value) in item.default where item.defaultRequest[name] == nil {
                item.defaultRequest[name] = value
            }
            for (name, value) in item.min where item.defaultRequest[name] == nil {
                item.defaultRequest[name] = value
            }
            spec.limits[index] = item
        }
    }
}
