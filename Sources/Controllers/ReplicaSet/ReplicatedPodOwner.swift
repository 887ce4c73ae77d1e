public import KubeAPI
public import KubeCore

/// What the ReplicaSet controller needs of the objects it runs for: ReplicaSets (set-based selectors) and
/// ReplicationControllers (equality selectors), as upstream runs one implementation for both by
/// converting ReplicationControllers to ReplicaSets.
public protocol ReplicatedPodOwner: KubeResource {
    /// `apps/v1` or `v1`, for the controller references of the pods.
    static var ownerAPIVersion: String { get }
    /// The name in `<kind>` log fields and owner references: `ReplicaSet` or `ReplicationController`.
    static var ownerKind: String { get }
    /// `spec.replicas`, 1 when unset (the API server defaults it).
    var desiredReplicas: Int32 { get }
    var minReadySeconds: Int32 { get }
    /// The pod selector; ``LabelSelectorExpression/nothing`` when unset, nil when it cannot be converted.
    var podSelector: LabelSelectorExpression? { get }
    var podTemplate: PodTemplateSpec { get }
    /// The status in ReplicaSet form.
    var replicaStatus: ReplicaSetStatus { get set }
}

extension ReplicaSet: ReplicatedPodOwner {
    public static var ownerAPIVersion: String { "apps/v1" }
    public static var ownerKind: String { "ReplicaSet" }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds }
    public var podSelector: LabelSelectorExpression? { try? LabelSelectorExpression(spec.selector) }
    public var podTemplate: PodTemplateSpec { spec.template }
    public var replicaStatus: ReplicaSetStatus {
        get { status }
        set { status = newValue }
    }
}

extension ReplicationController: ReplicatedPodOwner {
    public static var ownerAPIVersion: String { "v1" }
    public static var ownerKind: String { "ReplicationController" }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds }
    public var podSelector: LabelSelectorExpression? {
        if spec.selector.isEmpty { return .nothing }
        return try? LabelSelectorExpression(LabelSelector(matchLabels: spec.selector))
    }
    public var podTemplate: PodTemplateSpec { spec.template ?? PodTemplateSpec() }
    public var replicaStatus: ReplicaSetStatus {
        get {
            ReplicaSetStatus(
                replicas: status.replicas, fullyLabeledReplicas: status.fullyLabeledReplicas,
                readyReplicas: status.readyReplicas, availableReplicas: status.availableReplicas,
                observedGeneration: status.observedGeneration,
                conditions: status.conditions.map {
                    ReplicaSetCondition(type: $0.type, status: $0.status, lastTransitionTime: $0.lastTransitionTime,
                                        reason: $0.reason, message: $0.message)
                })
        }
        set {
            status.replicas = newValue.replicas
            status.fullyLabeledReplicas = newValue.fullyLabeledReplicas
            status.readyReplicas = newValue.readyReplicas
            status.availableReplicas = newValue.availableReplicas
            status.observedGeneration = newValue.observedGeneration
            status.conditions = newValue.conditions.map {
                ReplicationControllerCondition(type: $0.type, status: $0.status,
                                               lastTransitionTime: $0.lastTransitionTime, reason: $0.reason,
                                               message: $0.message)
            }
        }
    }
}
