/// Annotations that steer a simulated node from outside (for example `kubectl annotate node`).
///
/// Stateless namespace.
public enum SimulatedNodeAnnotations {
    /// `"true"` stops the node: it no longer renews its Lease, reports status or runs pods, as if its
    /// machine had lost power. Removing the annotation starts it again.
    public static let stopped = "simulation.swiftlet.dev/stopped"
    /// Marks nodes a Swiftlet simulator registered (value: `true`).
    public static let simulated = "simulation.swiftlet.dev/simulated"
}
