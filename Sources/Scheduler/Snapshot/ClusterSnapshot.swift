public import KubeAPI
import KubeCore

/// The scheduler's view of the cluster: every node with the pods assigned to it, updated
/// incrementally (add / update / remove node, add / remove pod) so that a live copy can be kept
/// for thousands of nodes and pods. Value type (copy-on-write arrays and dictionaries); Sendable.
/// Not synchronised: one owner mutates it, and `SchedulingAlgorithm` reads it.
///
/// Pods bound to a node the snapshot does not know yet are kept aside and attach when the node
/// appears; a removed node's pods wait the same way (as upstream's cache keeps such NodeInfos).
public struct ClusterSnapshot: Sendable {
    /// The schedulable universe, in a stable order that changes only when nodes are added or removed.
    public private(set) var nodes: [NodeInfo] = []
    var indexByName: [String: Int] = [:]
    var placeholders: [String: NodeInfo] = [:]
    /// Pod snapshot key → node name.
    var podLocations: [String: String] = [:]
    /// Controller owner UID → node name → number of that owner's pods there.
    var ownerPodsByNode: [String: [String: Int]] = [:]
    public private(set) var podsWithAffinity = 0
    public private(set) var podsWithRequiredAntiAffinity = 0

    public init() {}

    public var nodeCount: Int { nodes.count }
    public var podCount: Int { podLocations.count }

    public func nodeInfo(named name: String) -> NodeInfo? {
        if let index = indexByName[name] { return nodes[index] }
        return nil
    }

    /// The node a pod (by ``PodInfo/snapshotKey``) is assigned to in this snapshot.
    public func nodeName(ofPod snapshotKey: String) -> String? { podLocations[snapshotKey] }

    // MARK: Nodes

    /// Adds the node, or updates its labels, taints and allocatable keeping its pods.
    public mutating func upsertNode(_ node: Node) {
        let name = node.metadata.name
        if let index = indexByName[name] {
            nodes[index].update(node)
            return
        }
        var info = NodeInfo(node)
        if let waiting = placeholders.removeValue(forKey: name) {
            for pod in waiting.pods { info.add(pod) }
        }
        indexByName[name] = nodes.count
        nodes.append(info)
    }

    /// Removes the node; its pods stay accounted for until they are removed or the node returns.
    public mutating func removeNode(named name: String) {
        guard let index = indexByName.removeValue(forKey: name) else { return }
        let removed = nodes[index]
        let last = nodes.count - 1
        if index != last {
            nodes.swapAt(index, last)
            indexByName[nodes[index].name] = index
        }
        nodes.removeLast()
        if !removed.pods.isEmpty {
            var placeholder = NodeInfo(placeholderNamed: name)
            for pod in removed.pods { placeholder.add(pod) }
            placeholders[name] = placeholder
        }
    }

    // MARK: Pods

    /// Accounts for a pod on `nodeName` (defaults to the pod's `spec.nodeName`). A pod already in
    /// the snapshot is moved/replaced. Pods without a node are ignored.
    public mutating func addPod(_ pod: PodInfo, toNode nodeName: String? = nil) {
        let target = nodeName ?? pod.nodeName
        guard !target.isEmpty else { return }
        let key = pod.snapshotKey
        if podLocations[key] != nil { removePod(snapshotKey: key) }
        podLocations[key] = target
        if let index = indexByName[target] {
            nodes[index].add(pod)
        } else {
            placeholders[target, default: NodeInfo(placeholderNamed: target)].add(pod)
        }
        if let owner = pod.controllerUID { ownerPodsByNode[owner, default: [:]][target, default: 0] += 1 }
        if pod.hasAffinity { podsWithAffinity += 1 }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity += 1 }
    }

    /// Convenience: compiles and adds an assigned Pod.
    public mutating func addPod(_ pod: Pod) { addPod(PodInfo(pod)) }

    /// Forgets a pod. Returns false when it was not in the snapshot.
    @discardableResult
    public mutating func removePod(snapshotKey key: String) -> Bool {
        guard let nodeName = podLocations.removeValue(forKey: key) else { return false }
        let removed: PodInfo?
        if let index = indexByName[nodeName] {
            removed = nodes[index].remove(snapshotKey: key)
        } else if var placeholder = placeholders[nodeName] {
            removed = placeholder.remove(snapshotKey: key)
            placeholders[nodeName] = placeholder.pods.isEmpty ? nil : placeholder
        } else {
            removed = nil
        }
        guard let pod = removed else { return true }
        if let owner = pod.controllerUID, var counts = ownerPodsByNode[owner] {
            let remaining = (counts[nodeName] ?? 1) - 1
            counts[nodeName] = remaining > 0 ? remaining : nil
            ownerPodsByNode[owner] = counts.isEmpty ? nil : counts
        }
        if pod.hasAffinity { podsWithAffinity -= 1 }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity -= 1 }
        return true
    }

    /// Per-node counts of the pods controlled by `ownerUID` (empty when none).
    func ownerPodCounts(_ ownerUID: String) -> [String: Int] { ownerPodsByNode[ownerUID] ?? [:] }
}
