public import KubeAPI
import KubeCore

/// Everything the scheduler needs from a Pod, computed once when the pod is seen (requests as
/// integers, compiled selectors and terms) so that filtering and scoring never parse quantities
/// or selectors. Used for the pod being scheduled and for pods already on nodes. Value type; Sendable.
public struct PodInfo: Sendable {
    /// `namespace/name`.
    public let key: String
    public let namespace: String
    public let name: String
    public let uid: String
    public let labels: [String: String]
    /// `spec.nodeName` (empty for pending pods).
    public let nodeName: String
    public let priority: Int32
    public let preemptionNever: Bool
    public let isTerminating: Bool
    /// UID of the controlling owner (ReplicaSet, StatefulSet, Job, ...), if any.
    public let controllerUID: String?
    /// Requests for fitting (upstream `PodRequests`).
    public let requests: ResourceAmounts
    /// Requests with 100m / 200Mi for containers that request no cpu / memory (scoring only).
    public let nonZeroRequests: ResourceAmounts
    public let hostPorts: [HostPort]

    let tolerations: [PodToleration]
    let requiredNodeAffinity: RequiredNodeAffinity
    let preferredNodeAffinity: PreferredNodeAffinity
    let nodeNameRestriction: Set<String>?
    let requiredAffinityTerms: [AffinityTerm]
    let requiredAntiAffinityTerms: [AffinityTerm]
    let preferredAffinityTerms: [WeightedAffinityTerm]
    let preferredAntiAffinityTerms: [WeightedAffinityTerm]
    /// Constraints as written on the pod (hard and soft).
    let spreadConstraints: [SpreadConstraint]
    let hasExplicitSpreadConstraints: Bool

    public init(_ pod: Pod) {
        let metadata = pod.metadata
        let spec = pod.spec
        namespace = metadata.namespace
        name = metadata.name
        key = metadata.namespace + "/" + metadata.name
        uid = metadata.uid
        labels = metadata.labels
        nodeName = spec.nodeName
        priority = spec.priority ?? 0
        preemptionNever = spec.preemptionPolicy == "Never"
        isTerminating = metadata.deletionTimestamp != nil
        controllerUID = metadata.ownerReferences.first { $0.controller == true }?.uid
        requests = PodResourceCalculator.requests(of: spec, nonZeroDefaults: false)
        nonZeroRequests = PodResourceCalculator.requests(of: spec, nonZeroDefaults: true)
        hostPorts = HostPort.of(spec)
        tolerations = spec.tolerations.map(PodToleration.init)
        requiredNodeAffinity = RequiredNodeAffinity(spec)
        preferredNodeAffinity = PreferredNodeAffinity(spec)
        nodeNameRestriction = requiredNodeAffinity.nodeNameRestriction(spec)
        let affinity = spec.affinity
        func compile(_ terms: [PodAffinityTerm]?) -> [AffinityTerm] {
            (terms ?? []).map { AffinityTerm($0, ownerNamespace: metadata.namespace, ownerLabels: metadata.labels) }
        }
        func compileWeighted(_ terms: [WeightedPodAffinityTerm]?) -> [WeightedAffinityTerm] {
            (terms ?? []).compactMap { weighted in
                guard weighted.weight != 0 else { return nil }
                return WeightedAffinityTerm(
                    term: AffinityTerm(weighted.podAffinityTerm, ownerNamespace: metadata.namespace, ownerLabels: metadata.labels),
                    weight: Int64(weighted.weight)
                )
            }
        }
        requiredAffinityTerms = compile(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
        requiredAntiAffinityTerms = compile(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
        preferredAffinityTerms = compileWeighted(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution)
        preferredAntiAffinityTerms = compileWeighted(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution)
        spreadConstraints = spec.topologySpreadConstraints.map { SpreadConstraint($0, podLabels: metadata.labels) }
        hasExplicitSpreadConstraints = !spec.topologySpreadConstraints.isEmpty
    }

    /// True when the pod has any inter-pod affinity or anti-affinity term (upstream `PodsWithAffinity`).
    public var hasAffinity: Bool {
        !requiredAffinityTerms.isEmpty || !requiredAntiAffinityTerms.isEmpty
            || !preferredAffinityTerms.isEmpty || !preferredAntiAffinityTerms.isEmpty
    }

    /// True when the pod has required anti-affinity terms (upstream `PodsWithRequiredAntiAffinity`).
    public var hasRequiredAntiAffinity: Bool { !requiredAntiAffinityTerms.isEmpty }

    /// The key a snapshot stores the pod under: its UID, or `namespace/name` when it has none.
    public var snapshotKey: String { uid.isEmpty ? key : uid }
}
