/// The annotations kubectl's rolling update keeps on the controllers so an interrupted update can be
/// resumed or rolled back (upstream `kubectl.kubernetes.io/*` constants of `rolling_updater.go`).
///
/// Namespace of constants.
public enum RollingUpdateAnnotations {
    /// On the new controller: `<old name>:<old uid>`.
    public static let sourceID = "kubectl.kubernetes.io/update-source-id"
    /// On the new controller: the replica count it is scaled up to.
    public static let desiredReplicas = "kubectl.kubernetes.io/desired-replicas"
    /// On the old controller: its replica count before the update (what a rollback restores).
    public static let originalReplicas = "kubectl.kubernetes.io/original-replicas"
    /// On the old controller: the name of the new one.
    public static let nextController = "kubectl.kubernetes.io/next-controller-id"
}
