public import Foundation

/// The time source and sleeps of a rolling update (the update period, poll intervals, timeouts), injected so
/// tests run the whole sequence on virtual time.
///
/// Implementations are Sendable and thread-safe.
public protocol RollingUpdateClock: Sendable {
    func now() -> Date
    func sleep(for duration: Duration) async throws
}

/// Wall-clock time and `Task.sleep`.
///
/// Value type; Sendable.
public struct SystemRollingUpdateClock: RollingUpdateClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension RollingUpdateClock {
    /// Upstream `wait.Poll` / `wait.PollImmediate`: checks `condition` (at once when `immediate`, else after
    /// one interval) every `interval` until it holds (true) or `timeout` has passed (false).
    func poll(interval: Duration, timeout: Duration, immediate: Bool,
              _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = now().addingTimeInterval(timeout.timeInterval)
        if immediate, try await condition() { return true }
        while true {
            if now() >= deadline { return false }
            try await sleep(for: interval)
            if try await condition() { return true }
        }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
