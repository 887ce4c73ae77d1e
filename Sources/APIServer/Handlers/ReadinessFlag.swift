import Synchronization

/// Whether the API server has finished starting (default namespaces exist); `/readyz` reports it.
///
/// Thread-safe (atomic).
final class ReadinessFlag: Sendable {
    private let ready = Atomic(false)

    var isReady: Bool { ready.load(ordering: .acquiring) }

    func markReady() { ready.store(true, ordering: .releasing) }
}
