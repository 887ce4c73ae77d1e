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
    /// Node name → stable node ID; node ID → index in `nodes`.
    var nodeIDs: [String: Int] = [:]
    var indexByID: [Int: Int] = [:]
    /// Zone label value → zone ID (dense, for per-cycle counting in arrays).
    var zoneIDs: [String: Int] = [:]
    var placeholders: [String: NodeInfo] = [:]
    /// Pod snapshot key → node name.
    var podLocations: [String: String] = [:]
    /// Controller owner UID → node ID → number of that owner's pods there.
    var ownerPodsByNode: [String: [Int: Int]] = [:]
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
            nodes[index].zoneID = zoneID(of: nodes[index])
            return
        }
        var info = NodeInfo(node)
        info.id = nodeID(for: name)
        info.zoneID = zoneID(of: info)
        if let waiting = placeholders.removeValue(forKey: name) {
            for pod in waiting.pods { info.add(pod) }
        }
        indexByName[name] = nodes.count
        indexByID[info.id] = nodes.count
        nodes.append(info)
    }

    private mutating func nodeID(for name: String) -> Int {
        if let id = nodeIDs[name] { return id }
        let id = nodeIDs.count + 1
        nodeIDs[name] = id
        return id
    }

    private mutating func zoneID(of node: NodeInfo) -> Int {
        guard let zone = node.labels[PodTopologySpreadScoring.zoneKey] else { return -1 }
        if let id = zoneIDs[zone] { return id }
        let id = zoneIDs.count
        zoneIDs[zone] = id
        return id
    }

    /// The number of distinct zone values seen (zone IDs are below it).
    var zoneCount: Int { zoneIDs.count }

    /// The node with a stable ID, if present.
    func node(withID id: Int) -> NodeInfo? {
        guard let index = indexByID[id] else { return nil }
        return nodes[index]
    }

    /// Removes the node; its pods stay accounted for until they are removed or the node returns.
    public mutating func removeNode(named name: String) {
        guard let index = indexByName.removeValue(forKey: name) else { return }
        let removed = nodes[index]
        indexByID[removed.id] = nil
        let last = nodes.count - 1
        if index != last {
            nodes.swapAt(index, last)
            indexByName[nodes[index].name] = index
            indexByID[nodes[index].id] = index
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
        if let owner = pod.controllerUID { ownerPodsByNode[owner, default: [:]][nodeID(for: target), default: 0] += 1 }
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
        if let owner = pod.controllerUID, var counts = ownerPodsByNode[owner], let id = nodeIDs[nodeName] {
            let remaining = (counts[id] ?? 1) - 1
            counts[id] = remaining > 0 ? remaining : nil
            ownerPodsByNode[owner] = counts.isEmpty ? nil : counts
        }
        if pod.hasAffinity { podsWithAffinity -= 1 }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity -= 1 }
        return true
    }

    /// Per-node-ID counts of the pods controlled by `ownerUID` (empty when none).
    func ownerPodCounts(_ ownerUID: String) -> [Int: Int] { ownerPodsByNode[ownerUID] ?? [:] }
}
