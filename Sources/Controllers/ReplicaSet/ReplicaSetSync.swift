public import Foundation
public import KubeAPI
public import KubeCore

/// The pure half of upstream `syncReplicaSet` / `manageReplicas` for ReplicaSets and
/// ReplicationControllers: from the owner, the pods of its namespace and `now`, which pods to adopt and
/// release, and how many pods to create or which to delete.
///
/// Stateless; Sendable.
public enum ReplicaSetSync {
    /// Upstream `BurstReplicas`: at most this many creations or deletions per sync.
    public static let burstReplicas = 500

    /// What one sync should do.
    public struct Plan: Sendable, Equatable {
        /// Orphans the owner selects; each gets the owner's controller reference.
        public var adoptions: [Pod] = []
        /// Owned pods the owner no longer selects; each loses the owner's reference.
        public var releases: [Pod] = []
        /// The active pods that are the owner's once the claims succeed (owned and adopted).
        public var claimedPods: [Pod] = []
        /// Pods to create (each from ``podTemplate``).
        public var podsToCreate: Int = 0
        /// The pod to create ``podsToCreate`` times (nil when none).
        public var podTemplate: Pod?
        /// Surplus pods in deletion order.
        public var podsToDelete: [Pod] = []
        /// False when the owner's selector cannot be converted: upstream skips the owner entirely.
        public var selectorValid: Bool = true

        public init() {}
    }

    /// Plans one sync.
    ///
    /// - Parameters:
    ///   - pods: every pod in the owner's namespace (matching or not, active or not).
    ///   - relatedPods: pods of the ReplicaSets sharing the owner's controller (ranks pods per node for
    ///     deletion); empty for an owner without a controller, as upstream.
    ///   - expectationsSatisfied: false while the owner's own creations or deletions are not yet seen
    ///     by the informer; then only claims are planned.
    public static func plan<Owner: ReplicatedPodOwner>(
        owner: Owner, pods: [Pod], relatedPods: [Pod] = [], expectationsSatisfied: Bool,
        burstReplicas: Int = burstReplicas, now: Date
    ) -> Plan {
        var plan = Plan()
        guard let selector = owner.podSelector else {
            plan.selectorValid = false
            return plan
        }
        for pod in pods where PodReadiness.isActive(pod) {
            let selected = selector.matches(pod.metadata.labels)
            switch OwnerClaim.decide(dependent: pod.metadata, owner: owner.metadata, selected: selected) {
            case .owned:
                plan.claimedPods.append(pod)
            case .adopt:
                plan.adoptions.append(pod)
                plan.claimedPods.append(pod)
            case .release:
                plan.releases.append(pod)
            case .ignore:
                break
            }
        }
        guard expectationsSatisfied, owner.metadata.deletionTimestamp == nil else { return plan }
        let difference = plan.claimedPods.count - Int(owner.desiredReplicas)
        if difference < 0 {
            plan.podsToCreate = min(-difference, burstReplicas)
            plan.podTemplate = podFromTemplate(owner: owner)
        } else if difference > 0 {
            plan.podsToDelete = podsToDelete(plan.claimedPods, related: relatedPods,
                                             count: min(difference, burstReplicas), now: now)
        }
        return plan
    }

    /// Upstream `getPodsToDelete`: the first `count` pods in ``ActivePodRanking`` order (no sort when
    /// all go).
    public static func podsToDelete(_ pods: [Pod], related: [Pod], count: Int, now: Date) -> [Pod] {
        guard count < pods.count else { return Array(pods.prefix(count)) }
        let ranked = ActivePodRanking.rankedByRelatedPodsOnSameNode(pods, related: related)
        return ActivePodRanking.sortedForDeletion(ranked, now: now).prefix(count).map(\.pod)
    }

    /// Upstream `GetPodFromTemplate`: the template's labels, annotations, finalizers and spec,
    /// `generateName: <owner>-` and the owner's controller reference.
    public static func podFromTemplate<Owner: ReplicatedPodOwner>(owner: Owner) -> Pod {
        let template = owner.podTemplate
        var pod = Pod()
        pod.metadata.namespace = owner.metadata.namespace
        pod.metadata.generateName = podNamePrefix(owner.metadata.name)
        pod.metadata.labels = template.metadata.labels
        pod.metadata.annotations = template.metadata.annotations
        pod.metadata.finalizers = template.metadata.finalizers
        pod.metadata.ownerReferences = [
            ControllerReference.make(ownerMetadata: owner.metadata, apiVersion: Owner.ownerAPIVersion,
                                     kind: Owner.ownerKind),
        ]
        pod.spec = template.spec
        return pod
    }

    /// Upstream `getPodsPrefix`: `<name>-` unless that is no valid name prefix (too long), then `<name>`.
    static func podNamePrefix(_ name: String) -> String {
        let prefix = "\(name)-"
        return prefix.utf8.count <= 253 ? prefix : name
    }
}
