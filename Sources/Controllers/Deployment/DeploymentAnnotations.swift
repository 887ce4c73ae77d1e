public import KubeAPI
public import KubeCore

/// Upstream `deploymentutil` annotation handling: revisions, revision history, desired/max replicas,
/// and which Deployment annotations are copied to its new ReplicaSet. `kubectl rollout history/undo`
/// read these.
///
/// Stateless; Sendable.
public enum DeploymentAnnotations {
    public static let revision = "deployment.kubernetes.io/revision"
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    public static let lastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration"
    /// Upstream `apps.DeprecatedRollbackTo`.
    public static let deprecatedRollbackTo = "deprecated.deployment.rollback.to"
    public static let changeCause = "kubernetes.io/change-cause"
    /// Upstream `maxRevHistoryLengthInChars`.
    public static let maxRevisionHistoryLength = 2000

    /// Upstream `annotationsToSkip`: never copied from the Deployment to its ReplicaSets.
    public static let skipped: Set<String> = [
        lastAppliedConfiguration, revision, revisionHistory, desiredReplicas, maxReplicas, deprecatedRollbackTo,
    ]

    /// Upstream `Revision`: 0 when absent; nil when not an integer.
    public static func revision(of metadata: ObjectMeta) -> Int64? {
        guard let text = metadata.annotations[revision] else { return 0 }
        return Int64(text)
    }

    /// Upstream `MaxRevision`: the highest parsable revision, 0 for none.
    public static func maxRevision(_ replicaSets: [ReplicaSet]) -> Int64 {
        replicaSets.compactMap { revision(of: $0.metadata) }.max().map { max($0, 0) } ?? 0
    }

    /// Upstream `copyDeploymentAnnotationsToReplicaSet`; true when the ReplicaSet changed.
    @discardableResult
    public static func copyDeploymentAnnotations(_ deployment: Deployment, to replicaSet: inout ReplicaSet) -> Bool {
        var changed = false
        for (key, value) in deployment.metadata.annotations where !skipped.contains(key) {
            if replicaSet.metadata.annotations[key] == value { continue }
            replicaSet.metadata.annotations[key] = value
            changed = true
        }
        return changed
    }

    /// Upstream `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, raises the revision to
    /// `newRevision` (recording the old one in the revision history, trimmed to
    /// ``maxRevisionHistoryLength`` characters) and, for a ReplicaSet about to be created, sets the
    /// desired/max replicas annotations. True when an annotation changed.
    @discardableResult
    public static func setNewReplicaSetAnnotations(
        _ deployment: Deployment, replicaSet: inout ReplicaSet, newRevision: String, exists: Bool
    ) -> Bool {
        var changed = copyDeploymentAnnotations(deployment, to: &replicaSet)
        let oldRevision = replicaSet.metadata.annotations[revision]
        let oldRevisionNumber: Int64
        if let oldRevision, !oldRevision.isEmpty {
            guard let parsed = Int64(oldRevision) else { return false }
            oldRevisionNumber = parsed
        } else {
            oldRevisionNumber = 0
        }
        guard let newRevisionNumber = Int64(newRevision) else { return false }
        if oldRevisionNumber < newRevisionNumber {
            replicaSet.metadata.annotations[revision] = newRevision
            changed = true
        }
        if let oldRevision, oldRevisionNumber < newRevisionNumber {
            let history = replicaSet.metadata.annotations[revisionHistory] ?? ""
            var oldRevisions = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if oldRevisions.first?.isEmpty ?? true {
                replicaSet.metadata.annotations[revisionHistory] = oldRevision
            } else {
                var totalLength = history.utf8.count + oldRevision.utf8.count + 1
                var start = 0
                while totalLength > maxRevisionHistoryLength && start < oldRevisions.count {
                    totalLength -= oldRevisions[start].utf8.count + 1
                    start += 1
                }
                if totalLength <= maxRevisionHistoryLength {
                    oldRevisions = Array(oldRevisions[start...]) + [oldRevision]
                    replicaSet.metadata.annotations[revisionHistory] = oldRevisions.joined(separator: ",")
                }
            }
        }
        if !exists, setReplicasAnnotations(
            &replicaSet, desired: deployment.desiredReplicas,
            max: deployment.desiredReplicas + RollingUpdateBudget.maxSurge(deployment))
        {
            changed = true
        }
        return changed
    }

    /// Upstream `SetReplicasAnnotations`; true when either changed.
    @discardableResult
    public static func setReplicasAnnotations(_ replicaSet: inout ReplicaSet, desired: Int32, max: Int32) -> Bool {
        var changed = false
        if replicaSet.metadata.annotations[desiredReplicas] != String(desired) {
            replicaSet.metadata.annotations[desiredReplicas] = String(desired)
            changed = true
        }
        if replicaSet.metadata.annotations[maxReplicas] != String(max) {
            replicaSet.metadata.annotations[maxReplicas] = String(max)
            changed = true
        }
        return changed
    }

    /// Upstream `ReplicasAnnotationsNeedUpdate`.
    public static func replicasAnnotationsNeedUpdate(_ replicaSet: ReplicaSet, desired: Int32, max: Int32) -> Bool {
        replicaSet.metadata.annotations[desiredReplicas] != String(desired)
            || replicaSet.metadata.annotations[maxReplicas] != String(max)
    }

    /// Upstream `getIntFromAnnotation`.
    public static func integer(_ key: String, of replicaSet: ReplicaSet) -> Int32? {
        replicaSet.metadata.annotations[key].flatMap { Int32($0) }
    }
}
