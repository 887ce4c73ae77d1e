public import Foundation
public import KubeAPI
public import KubeCore

/// The Node and Lease objects a kubelet writes, built from `HostFacts` and the kubelet's settings.
///
/// Stateless; pure (`now` is a parameter).
public enum NodeObjects {
    public static let kubeletVersion = "v1.32.0-swiftlet"
    public static let runtimeVersion = "runc://1.1"

    /// The Node to register.
    public static func node(name: String, podCIDR: String, facts: HostFacts, nodeIP: String, maxPods: Int,
                            images: [ContainerImage], now: Date) -> Node {
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = [
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": facts.architecture,
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": facts.architecture,
        ]
        node.metadata.annotations = ["node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"]
        if !podCIDR.isEmpty {
            node.spec.podCIDR = podCIDR
            node.spec.podCIDRs = [podCIDR]
        }
        node.status = status(name: name, facts: facts, nodeIP: nodeIP, maxPods: maxPods, images: images,
                             conditions: conditions(pressure: NodePressure(), now: now, previous: []))
        return node
    }

    /// The node status: capacity and allocatable, conditions, addresses, node info, images.
    public static func status(name: String, facts: HostFacts, nodeIP: String, maxPods: Int,
                              images: [ContainerImage], conditions: [NodeCondition]) -> NodeStatus {
        var status = NodeStatus()
        let capacity: [String: Quantity] = [
            "cpu": Quantity(Int64(facts.cpuCount)),
            "memory": Quantity("\(facts.memoryBytes / 1024)Ki") ?? Quantity(facts.memoryBytes),
            "ephemeral-storage": Quantity("\(facts.ephemeralStorageBytes / 1024)Ki") ?? Quantity(facts.ephemeralStorageBytes),
            "pods": Quantity(Int64(maxPods)),
        ]
        status.capacity = capacity
        status.allocatable = capacity
        status.conditions = conditions
        status.addresses = [NodeAddress(type: "InternalIP", address: nodeIP),
                            NodeAddress(type: "Hostname", address: name)]
        status.nodeInfo.kubeletVersion = kubeletVersion
        status.nodeInfo.kubeProxyVersion = kubeletVersion
        status.nodeInfo.operatingSystem = "linux"
        status.nodeInfo.architecture = facts.architecture
        status.nodeInfo.osImage = facts.osImage
        status.nodeInfo.kernelVersion = facts.kernelVersion
        status.nodeInfo.containerRuntimeVersion = runtimeVersion
        status.nodeInfo.machineID = facts.machineID
        status.nodeInfo.systemUUID = facts.machineID
        status.nodeInfo.bootID = facts.bootID
        status.daemonEndpoints.kubeletEndpoint.Port = 10250
        status.images = images
        return status
    }

    /// Upstream's four conditions; transition times move only when a status changes.
    public static func conditions(pressure: NodePressure, now: Date, previous: [NodeCondition]) -> [NodeCondition] {
        let time = RFC3339Time(now)
        func condition(_ type: String, _ value: Bool, _ trueReason: String, _ trueMessage: String,
                       _ falseReason: String, _ falseMessage: String) -> NodeCondition {
            let status = value ? "True" : "False"
            let old = previous.first { $0.type == type }
            return NodeCondition(
                type: type, status: status, lastHeartbeatTime: time,
                lastTransitionTime: old?.status == status ? old?.lastTransitionTime ?? time : time,
                reason: value ? trueReason : falseReason, message: value ? trueMessage : falseMessage)
        }
        return [
            condition("MemoryPressure", pressure.memory, "KubeletHasInsufficientMemory",
                      "kubelet has insufficient memory available", "KubeletHasSufficientMemory",
                      "kubelet has sufficient memory available"),
            condition("DiskPressure", pressure.disk, "KubeletHasDiskPressure", "kubelet has disk pressure",
                      "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", pressure.pid, "KubeletHasInsufficientPID", "kubelet has insufficient PID available",
                      "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", true, "KubeletReady", "kubelet is posting ready status", "", ""),
        ]
    }

    /// The node's Lease in `kube-node-lease`, renewed at `now`.
    public static func lease(nodeName: String, nodeUID: String, durationSeconds: Int32, now: Date) -> Lease {
        var lease = Lease()
        lease.metadata.name = nodeName
        lease.metadata.namespace = "kube-node-lease"
        if !nodeUID.isEmpty {
            lease.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUID)]
        }
        lease.spec.holderIdentity = nodeName
        lease.spec.leaseDurationSeconds = durationSeconds
        lease.spec.renewTime = MicroTime(now)
        return lease
    }
}

/// Which eviction signals are over their thresholds (upstream hard-eviction defaults: memory.available <
/// 100Mi, nodefs.available < 10%, pid.available < 10% of pid_max — here as booleans).
///
/// A value type; Sendable.
public struct NodePressure: Sendable, Equatable {
    public var memory = false
    public var disk = false
    public var pid = false

    public init(memory: Bool = false, disk: Bool = false, pid: Bool = false) {
        self.memory = memory
        self.disk = disk
        self.pid = pid
    }

    /// Reads the signals from procfs and statfs.
    public static func measure(dataDirectory: String) -> NodePressure {
        let available = HostFacts.memInfo("MemAvailable") ?? Int64.max
        let storage = HostFacts.fileSystemBytes(dataDirectory)
        var pressure = NodePressure()
        pressure.memory = available < 100 * 1024 * 1024
        pressure.disk = storage.total > 0 && storage.available * 10 < storage.total
        if let maxText = HostFacts.firstLine("/proc/sys/kernel/pid_max"), let maxPIDs = Int(maxText),
           let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") {
            let processes = entries.filter { $0.first?.isNumber == true }.count
            pressure.pid = processes * 10 > maxPIDs * 9
        }
        return pressure
    }
}
