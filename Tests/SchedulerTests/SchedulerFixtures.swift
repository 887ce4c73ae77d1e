import KubeAPI
import KubeCore
@testable import Scheduler

/// Builders for nodes and pods used by the scheduler tests.
enum Fixture {
    static func node(
        _ name: String,
        cpu: String = "4",
        memory: String = "8Gi",
        pods: Int64 = 110,
        ephemeral: String? = nil,
        labels: [String: String] = [:],
        taints: [Taint] = [],
        unschedulable: Bool = false
    ) -> Node {
        var allocatable: [String: Quantity] = [
            "cpu": Quantity(cpu)!, "memory": Quantity(memory)!, "pods": Quantity(pods),
        ]
        if let ephemeral { allocatable["ephemeral-storage"] = Quantity(ephemeral)! }
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = allLabels["kubernetes.io/hostname"] ?? name
        var node = Node(metadata: ObjectMeta(name: name, labels: allLabels))
        node.spec.taints = taints
        node.spec.unschedulable = unschedulable
        node.status.allocatable = allocatable
        return node
    }

    static func taint(_ key: String, _ value: String = "", effect: String = "NoSchedule") -> Taint {
        Taint(key: key, value: value, effect: effect)
    }

    static func container(cpu: String? = nil, memory: String? = nil, ephemeral: String? = nil, hostPort: Int32 = 0) -> Container {
        var requests: [String: Quantity] = [:]
        if let cpu { requests["cpu"] = Quantity(cpu)! }
        if let memory { requests["memory"] = Quantity(memory)! }
        if let ephemeral { requests["ephemeral-storage"] = Quantity(ephemeral)! }
        var container = Container(name: "c", image: "pause")
        container.resources.requests = requests
        if hostPort > 0 { container.ports = [ContainerPort(hostPort: hostPort, containerPort: hostPort, protocol: "TCP")] }
        return container
    }

    static func pod(
        _ name: String,
        namespace: String = "default",
        cpu: String? = nil,
        memory: String? = nil,
        labels: [String: String] = [:],
        nodeName: String = "",
        owner: String? = nil,
        priority: Int32? = nil,
        configure: (inout Pod) -> Void = { _ in }
    ) -> Pod {
        var metadata = ObjectMeta(name: name, namespace: namespace, uid: "uid-\(namespace)-\(name)", labels: labels)
        if let owner {
            metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: "owner-\(owner)", controller: true)]
        }
        var pod = Pod(metadata: metadata)
        pod.spec.containers = [container(cpu: cpu, memory: memory)]
        pod.spec.nodeName = nodeName
        pod.spec.priority = priority
        configure(&pod)
        return pod
    }

    static func snapshot(nodes: [Node], pods: [Pod] = []) -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        for node in nodes { snapshot.upsertNode(node) }
        for pod in pods { snapshot.addPod(pod) }
        return snapshot
    }

    static func schedule(_ pod: Pod, _ snapshot: ClusterSnapshot, seed: UInt64 = 1) -> SchedulingDecision {
        var algorithm = SchedulingAlgorithm()
        var random = SeededRandom(seed: seed)
        return algorithm.schedule(PodInfo(pod), in: snapshot, using: &random)
    }

    static func requirement(_ key: String, _ op: String, _ values: [String] = []) -> NodeSelectorRequirement {
        NodeSelectorRequirement(key: key, operator: op, values: values)
    }

    static func podAffinityTerm(_ labels: [String: String], topologyKey: String = "kubernetes.io/hostname") -> PodAffinityTerm {
        PodAffinityTerm(labelSelector: LabelSelector(matchLabels: labels), topologyKey: topologyKey)
    }
}

/// A deterministic random source (SplitMix64) for tie-breaking in tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
