import KubeCore

extension Pod {
    /// Upstream's QoS class (`qos.GetPodQOS`): Guaranteed when every container's limits equal its requests for
    /// cpu and memory, BestEffort when none has any, else Burstable.
    public var qosClass: String {
        let containers = spec.containers + spec.initContainers
        var any = false
        var guaranteed = true
        for container in containers {
            let requests = container.resources.requests ?? [:]
            let limits = container.resources.limits ?? [:]
            if !requests.isEmpty || !limits.isEmpty { any = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !any { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
