public import Foundation
public import KubeAPI
public import KubeCore

/// Builds the API objects of a simulated node: its Node, its Lease and the status of a pod it runs.
/// Pure functions of the configuration, the node index and `now`.
///
/// Stateless namespace.
public enum SimulatedNodeObjects {
    static let kubeletVersion = "v1.32.0-swiftlet"

    /// The Node to register for node `index`.
    public static func node(index: Int, configuration: SimulatedNodeConfiguration, now: Date) -> Node {
        let name = configuration.nodeName(index)
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = [
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", "type": "simulated",
        ]
        node.metadata.annotations = [SimulatedNodeAnnotations.simulated: "true",
                                     "node.alpha.kubernetes.io/ttl": "0"]
        node.spec.podCIDR = podCIDR(index: index)
        node.spec.podCIDRs = [node.spec.podCIDR]
        node.status = status(index: index, configuration: configuration, now: now)
        return node
    }

    /// The full node status: capacity, conditions (Ready), addresses, node info.
    public static func status(index: Int, configuration: SimulatedNodeConfiguration, now: Date) -> NodeStatus {
        var status = NodeStatus()
        let resources: [String: Quantity] = [
            "cpu": configuration.cpu, "memory": configuration.memory, "pods": Quantity(Int64(configuration.pods)),
            "ephemeral-storage": configuration.ephemeralStorage,
        ]
        status.capacity = resources
        status.allocatable = resources
        status.conditions = conditions(now: now)
        status.addresses = [
            NodeAddress(type: "InternalIP", address: nodeIP(index: index)),
            NodeAddress(type: "Hostname", address: configuration.nodeName(index)),
        ]
        status.nodeInfo.kubeletVersion = kubeletVersion
        status.nodeInfo.kubeProxyVersion = kubeletVersion
        status.nodeInfo.operatingSystem = "linux"
        status.nodeInfo.architecture = "amd64"
        status.nodeInfo.osImage = "Swiftlet simulated node"
        status.nodeInfo.kernelVersion = "simulated"
        status.nodeInfo.containerRuntimeVersion = "simulated://1.0"
        status.nodeInfo.machineID = String(format: "%032x", index)
        status.nodeInfo.systemUUID = String(format: "00000000-0000-0000-0000-%012x", index)
        status.nodeInfo.bootID = String(format: "00000000-0000-0000-0001-%012x", index)
        status.daemonEndpoints.kubeletEndpoint.Port = 10250
        return status
    }

    /// The conditions a healthy kubelet reports (upstream wording).
    public static func conditions(now: Date) -> [NodeCondition] {
        let time = RFC3339Time(now)
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> NodeCondition {
            NodeCondition(type: type, status: status, lastHeartbeatTime: time, lastTransitionTime: time, reason: reason,
                          message: message)
        }
        return [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
    }

    /// The node's Lease in `kube-node-lease`, renewed at `now`.
    public static func lease(nodeName: String, nodeUID: String, configuration: SimulatedNodeConfiguration, now: Date)
        -> Lease
    {
        var lease = Lease()
        lease.metadata.name = nodeName
        lease.metadata.namespace = "kube-node-lease"
        if !nodeUID.isEmpty {
            lease.metadata.ownerReferences = [
                OwnerReference(apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUID),
            ]
        }
        lease.spec.holderIdentity = nodeName
        lease.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        lease.spec.renewTime = MicroTime(now)
        return lease
    }

    /// `10.<hi>.<lo>.0/24` for node `index`.
    public static func podCIDR(index: Int) -> String {
        "10.\(64 + (index >> 8) % 192).\(index & 255).0/24"
    }

    /// `172.<16+hi>.<lo>.<…>`: a documentation-only address (simulated nodes have no network).
    public static func nodeIP(index: Int) -> String {
        let number = index + 1
        return "172.\(16 + (number >> 16) % 16).\((number >> 8) & 255).\(number & 255)"
    }

    /// The `slot`th pod IP of node `index` (slots wrap inside the node's /24).
    public static func podIP(index: Int, slot: Int) -> String {
        "10.\(64 + (index >> 8) % 192).\(index & 255).\(2 + slot % 250)"
    }

    /// The status of a pod that started on node `index`: Running, every container running and ready.
    public static func runningStatus(of pod: Pod, index: Int, podIP: String, now: Date) -> PodStatus {
        let time = RFC3339Time(now)
        var status = pod.status
        status.phase = "Running"
        status.hostIP = nodeIP(index: index)
        status.hostIPs = [HostIP(ip: status.hostIP)]
        status.podIP = podIP
        status.podIPs = [PodIP(ip: podIP)]
        if status.startTime == nil { status.startTime = time }
        for type in ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"] {
            if let existing = status.conditions.firstIndex(where: { $0.type == type }) {
                if status.conditions[existing].status != "True" {
                    status.conditions[existing].status = "True"
                    status.conditions[existing].reason = ""
                    status.conditions[existing].message = ""
                    status.conditions[existing].lastTransitionTime = time
                }
            } else {
                status.conditions.append(PodCondition(type: type, status: "True", lastTransitionTime: time))
            }
        }
        status.containerStatuses = pod.spec.containers.map { container in
            var containerStatus = ContainerStatus()
            containerStatus.name = container.name
            containerStatus.image = container.image
            containerStatus.imageID = "simulated://\(container.image)"
            containerStatus.containerID = "simulated://\(pod.metadata.uid)/\(container.name)"
            containerStatus.ready = true
            containerStatus.started = true
            containerStatus.state.running = ContainerStateRunning(startedAt: status.startTime)
            return containerStatus
        }
        status.initContainerStatuses = pod.spec.initContainers.map { container in
            var containerStatus = ContainerStatus()
            containerStatus.name = container.name
            containerStatus.image = container.image
            containerStatus.imageID = "simulated://\(container.image)"
            containerStatus.containerID = "simulated://\(pod.metadata.uid)/\(container.name)"
            containerStatus.ready = true
            containerStatus.started = false
            containerStatus.state.terminated = ContainerStateTerminated(
                exitCode: 0, reason: "Completed", startedAt: status.startTime, finishedAt: status.startTime)
            return containerStatus
        }
        if status.qosClass.isEmpty { status.qosClass = pod.qosClass }
        return status
    }

}
