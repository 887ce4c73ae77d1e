public import Foundation

/// The time source of `ProbeManager`: wall-clock instants (container start times are wall-clock) and a
/// cancellable sleep. Tests inject a manual clock.
///
/// Implementations are safe from any task; `sleep(until:)` returns at once for a past deadline and throws
/// `CancellationError` when its task is cancelled.
public protocol ProbeClock: Sendable {
    var now: Date { get }
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock. Stateless; safe from any task.
public struct SystemProbeClock: ProbeClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval <= 0 { return }
        try await Task.sleep(for: .milliseconds(Int64((interval * 1000).rounded(.up))))
    }
}
