/// Configuration of ``SchedulerService``. Value type; Sendable.
public struct SchedulerConfiguration: Sendable, Equatable {
    /// Pods whose `spec.schedulerName` is this (or empty) are scheduled.
    public var schedulerName = "default-scheduler"
    public var algorithm = SchedulingAlgorithmConfiguration()
    public var queue = SchedulingQueue.Configuration()
    /// Bindings (and status updates) in flight at once; scheduling pauses when this many are pending.
    public var maxConcurrentBindings = 256

    public init() {}
}
