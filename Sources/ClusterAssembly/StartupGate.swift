import ControllerRuntime

/// Opens once the API server is ready, releasing the components waiting for it.
///
/// Thread-safe; Sendable.
public final class StartupGate: Sendable {
    private let signal = SyncSignal()

    public init() {}

    public func open() { signal.set() }

    /// Returns once the gate is open (or the task is cancelled).
    public func wait() async { await signal.wait() }
}
