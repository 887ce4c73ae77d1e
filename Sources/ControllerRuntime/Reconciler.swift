/// What a reconcile asks of its controller loop.
///
/// Value type; Sendable.
public enum ReconcileResult: Sendable, Equatable {
    /// Converged: forget the key's failures.
    case done
    /// Converged for now, but look again after the delay (a `minReadySeconds` wait, a deadline).
    case requeue(after: Duration)
}

/// A level-based, idempotent control loop body: reads the current state for `key` (from informer caches
/// and the API) and moves the cluster one step towards the desired state. Throwing means "retry with
/// backoff"; the loop logs the error.
///
/// Implementations must be safe to call concurrently for different keys (the loop never runs one key twice
/// at once).
public protocol Reconciler: Sendable {
    associatedtype Key: Hashable & Sendable & CustomStringConvertible = ObjectKey

    func reconcile(_ key: Key) async throws -> ReconcileResult
}
