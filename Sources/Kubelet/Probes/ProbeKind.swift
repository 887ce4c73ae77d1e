/// The three container probes. Upstream names them the same way in events ("Liveness probe failed: …").
public enum ProbeKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case liveness
    case readiness
    case startup

    /// The capitalised name upstream events start with: `Liveness`, `Readiness`, `Startup`.
    public var eventName: String {
        switch self {
        case .liveness: return "Liveness"
        case .readiness: return "Readiness"
        case .startup: return "Startup"
        }
    }

    public var description: String { rawValue }

    /// Whether a failure past the threshold means the container must be killed (liveness and startup).
    public var failureKillsContainer: Bool { self != .readiness }

    /// The message upstream's kubelet puts on the `Killing` event when this probe's failure stops a
    /// container: `Container web failed liveness probe, will be restarted` (without the suffix when the
    /// restart policy does not restart it).
    public func killMessage(containerName: String, willRestart: Bool) -> String {
        let base = "Container \(containerName) failed \(rawValue) probe"
        return willRestart ? base + ", will be restarted" : base
    }
}
