import KubeCore
public import KubeAPI

/// The difference between the static pods the kubelet runs and the ones its sources now describe, by full
/// name (`namespace/name`): new ones to start, changed ones (a new hash: the old pod is replaced) and gone
/// ones to stop. Upstream's file source also replaces a pod whose manifest changed.
///
/// Value type; Sendable.
public struct StaticPodChanges: Equatable, Sendable {
    public var added: [Pod] = []
    /// (old, new) pairs with the same name and a different UID.
    public var replaced: [(old: Pod, new: Pod)] = []
    public var removed: [Pod] = []

    public var isEmpty: Bool { added.isEmpty && replaced.isEmpty && removed.isEmpty }

    /// The changes from `current` to `desired` (a later duplicate of a name in `desired` is ignored).
    public static func between(current: [Pod], desired: [Pod]) -> StaticPodChanges {
        var changes = StaticPodChanges()
        var currentByName: [String: Pod] = [:]
        for pod in current { currentByName[fullName(pod)] = pod }
        var seen = Set<String>()
        for pod in desired {
            let name = fullName(pod)
            guard seen.insert(name).inserted else { continue }
            if let old = currentByName[name] {
                if old.metadata.uid != pod.metadata.uid { changes.replaced.append((old, pod)) }
            } else {
                changes.added.append(pod)
            }
        }
        for pod in current where !seen.contains(fullName(pod)) {
            changes.removed.append(pod)
        }
        return changes
    }

    public static func fullName(_ pod: Pod) -> String { "\(pod.metadata.namespace)/\(pod.metadata.name)" }

    public static func == (lhs: StaticPodChanges, rhs: StaticPodChanges) -> Bool {
        lhs.added.map(\.metadata.uid) == rhs.added.map(\.metadata.uid)
            && lhs.replaced.map { [$0.old.metadata.uid, $0.new.metadata.uid] }
                == rhs.replaced.map { [$0.old.metadata.uid, $0.new.metadata.uid] }
            && lhs.removed.map(\.metadata.uid) == rhs.removed.map(\.metadata.uid)
    }
}
