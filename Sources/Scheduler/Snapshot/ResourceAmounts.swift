public import KubeAPI
public import KubeCore

/// Amounts of the resources the scheduler accounts for, as integers (milli-CPU, bytes), plus any
/// extended resources (`example.com/gpu`) in whole units. Value type; Sendable.
public struct ResourceAmounts: Sendable, Equatable {
    public var milliCPU: Int64
    public var memory: Int64
    public var ephemeralStorage: Int64
    /// Extended (scalar) resources by name; empty for almost every pod and node.
    public var extended: [String: Int64]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, extended: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.extended = extended
    }

    public static let zero = ResourceAmounts()

    /// True when nothing is requested.
    public var isZero: Bool {
        milliCPU == 0 && memory == 0 && ephemeralStorage == 0 && extended.values.allSatisfy { $0 == 0 }
    }

    /// Reads a resource list (`cpu`, `memory`, `ephemeral-storage`, extended names); `pods` and
    /// hugepages-like names without a domain are ignored.
    public init(_ list: [String: Quantity]) {
        self.init()
        for (name, quantity) in list {
            switch name {
            case ResourceName.cpu: milliCPU = quantity.milliValue
            case ResourceName.memory: memory = quantity.value
            case ResourceName.ephemeralStorage: ephemeralStorage = quantity.value
            default:
                if ResourceName.isScalar(name) { extended[name] = quantity.value }
            }
        }
    }

    mutating func add(_ other: ResourceAmounts) {
        milliCPU += other.milliCPU
        memory += other.memory
        ephemeralStorage += other.ephemeralStorage
        for (name, value) in other.extended { extended[name, default: 0] += value }
    }

    mutating func subtract(_ other: ResourceAmounts) {
        milliCPU -= other.milliCPU
        memory -= other.memory
        ephemeralStorage -= other.ephemeralStorage
        for (name, value) in other.extended {
            let remaining = (extended[name] ?? 0) - value
            extended[name] = remaining == 0 ? nil : remaining
        }
    }

    /// Component-wise maximum.
    mutating func formMaximum(_ other: ResourceAmounts) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        for (name, value) in other.extended { extended[name] = max(extended[name] ?? 0, value) }
    }
}

/// Well-known resource names and upstream's scheduling defaults for them.
public enum ResourceName {
    public static let cpu = "cpu"
    public static let memory = "memory"
    public static let ephemeralStorage = "ephemeral-storage"
    public static let pods = "pods"
    /// Upstream `DefaultMilliCPURequest`: what a container without a CPU request counts as when scoring.
    public static let defaultMilliCPURequest: Int64 = 100
    /// Upstream `DefaultMemoryRequest` (200Mi): what a container without a memory request counts as when scoring.
    public static let defaultMemoryRequest: Int64 = 200 * 1024 * 1024

    /// Extended resources (`domain/name`, not `kubernetes.io/…` native ones) and hugepages are scalar.
    static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") { return true }
        guard name.contains("/") else { return false }
        return !name.hasPrefix("kubernetes.io/")
    }
}

/// Computes a pod's effective requests like upstream `resourcehelper.PodRequests`:
/// max(sum of containers + restartable init containers, each init container on top of the
/// sidecars started before it) + overhead. Pure; Sendable.
enum PodResourceCalculator {
    /// - Parameter nonZeroDefaults: when true, a container without a `cpu` / `memory` request counts
    ///   as 100m / 200Mi (upstream `NonMissingContainerRequests`, used for scoring).
    static func requests(of spec: PodSpec, nonZeroDefaults: Bool) -> ResourceAmounts {
        func containerRequests(_ resources: ResourceRequirements) -> ResourceAmounts {
            var amounts = ResourceAmounts(resources.requests)
            if nonZeroDefaults {
                if resources.requests[ResourceName.cpu] == nil { amounts.milliCPU = ResourceName.defaultMilliCPURequest }
                if resources.requests[ResourceName.memory] == nil { amounts.memory = ResourceName.defaultMemoryRequest }
            }
            return amounts
        }
        var total = ResourceAmounts()
        for container in spec.containers { total.add(containerRequests(container.resources)) }
        var restartableInit = ResourceAmounts()
        var initMaximum = ResourceAmounts()
        for container in spec.initContainers {
            let own = containerRequests(container.resources)
            if container.restartPolicy == "Always" {
                total.add(own)
                restartableInit.add(own)
                initMaximum.formMaximum(restartableInit)
            } else {
                var withSidecars = own
                withSidecars.add(restartableInit)
                initMaximum.formMaximum(withSidecars)
            }
        }
        total.formMaximum(initMaximum)
        if !spec.overhead.isEmpty { total.add(ResourceAmounts(spec.overhead)) }
        return total
    }
}
