public import Foundation

/// Upstream's container restart back-off: the first restart is immediate, the next waits 10 s, doubling up to
/// 5 minutes; reset when a container ran for longer than the reset window (10 minutes) before it exited.
///
/// A value type; Sendable; pure.
public struct RestartBackoff: Sendable, Equatable {
    public static let initialDelay: TimeInterval = 10
    public static let maximumDelay: TimeInterval = 300
    public static let resetWindow: TimeInterval = 600

    /// The delay the next restart waits; 0 until the first restart.
    public private(set) var nextDelay: TimeInterval = 0
    private var armed = false

    public init() {}

    /// Records an exit of a run that lasted `runDuration` and returns how long to wait before restarting.
    public mutating func delay(afterRunOf runDuration: TimeInterval) -> TimeInterval {
        if runDuration > Self.resetWindow { armed = false; nextDelay = 0 }
        guard armed else {
            armed = true
            nextDelay = Self.initialDelay
            return 0
        }
        let delay = nextDelay
        nextDelay = min(nextDelay * 2, Self.maximumDelay)
        return delay
    }

    /// Records a failed image pull and returns how long to wait before pulling again: upstream's image
    /// back-off waits 10 s after the first failure, doubling up to 5 minutes.
    public mutating func delayAfterFailedPull() -> TimeInterval {
        if !armed {
            armed = true
            nextDelay = Self.initialDelay
        }
        let delay = nextDelay
        nextDelay = min(nextDelay * 2, Self.maximumDelay)
        return delay
    }

    /// Formats a delay the way the kubelet's CrashLoopBackOff message does (`10s`, `2m40s`, `5m0s`).
    public static func goDuration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        return "\(whole / 60)m\(whole % 60)s"
    }
}
