public import Foundation

/// The published result of one probe of one container (upstream `results.Result`).
public enum ProbeStatus: String, Sendable, Equatable {
    case success
    case failure
    case unknown
}

/// An event the kubelet records on the pod for a probe attempt (upstream `recordContainerEvent`):
/// `Warning` / `Unhealthy` / `Liveness probe failed: HTTP probe failed with statuscode: 500`.
public struct ContainerProbeEvent: Sendable, Equatable {
    /// `Warning` for every probe event.
    public var type: String
    /// `Unhealthy` (failed or errored attempts) or `ProbeWarning` (attempts that passed with a remark).
    public var reason: String
    public var message: String

    public init(type: String, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}

/// The decisions of one probe worker (one probe kind of one container instance), following upstream's
/// `prober/worker.go`:
///
/// - The status starts at the kind's initial value: liveness `success`, readiness `failure`, startup
///   `unknown`. (A container *without* a readiness probe is ready as soon as it has started; that rule
///   belongs to whoever aggregates statuses, see `ProbeManager.isReady`.)
/// - No attempt before `initialDelaySeconds` after the container started; then one attempt every
///   `periodSeconds` (the first one exactly when the delay ends, not on the next period boundary).
/// - Liveness and readiness attempts wait until the container has started (its startup probe passed, or it
///   has none); the startup probe stops once it has passed.
/// - `failureThreshold` consecutive failures publish `failure`, `successThreshold` consecutive successes
///   publish `success`; shorter runs leave the status unchanged. `unknown` attempts (the probe could not
///   run) are ignored, as upstream does with prober errors.
/// - A liveness or startup failure asks for the container to be killed (`containerFailed`, carrying the
///   probe's `terminationGracePeriodSeconds`) and puts the worker on hold; a new container instance gets
///   a new state machine.
/// - Every failed attempt yields an `Unhealthy` event, every warning a `ProbeWarning` event.
///
/// Pure value type: state in, decisions out, `now` passed in. Not thread-safe by itself (mutating).
public struct ProbeStateMachine: Sendable, Equatable {
    /// What the caller should do now.
    public enum Decision: Sendable, Equatable {
        /// Run the probe now with this timeout, then call `record(_:)` with its result.
        case probe(timeout: Duration)
        /// Nothing to do before this instant; call `decide` again then.
        case wait(until: Date)
        /// Nothing to do until something outside changes (the container starts, a new instance, the
        /// running attempt's result arrives).
        case idle
    }

    /// Consequences of an attempt's result.
    public enum Effect: Sendable, Equatable {
        /// The published status changed.
        case statusChanged(ProbeStatus)
        /// Record this event on the pod.
        case event(ContainerProbeEvent)
        /// Liveness or startup failed past the threshold: kill the container (and restart it as the
        /// restart policy says). `message` is the last attempt's output.
        case containerFailed(message: String, terminationGracePeriodSeconds: Int64?)
    }

    public let kind: ProbeKind
    public let settings: ProbeSettings
    public let containerStartedAt: Date
    public private(set) var status: ProbeStatus
    /// Set after a liveness or startup failure: no more attempts for this container instance.
    public private(set) var isOnHold = false
    /// Set when the pod is terminating (liveness, startup): no more attempts.
    public private(set) var isFinished = false
    /// An attempt is running; its result has not been recorded yet.
    public private(set) var isProbing = false
    public private(set) var lastProbeStartedAt: Date?
    private var lastAttemptSucceeded: Bool?
    private var resultRun = 0

    public init(kind: ProbeKind, settings: ProbeSettings, containerStartedAt: Date) {
        self.kind = kind
        self.settings = settings
        self.containerStartedAt = containerStartedAt
        switch kind {
        case .liveness: status = .success
        case .readiness: status = .failure
        case .startup: status = .unknown
        }
    }

    /// When the next attempt is due, ignoring holds and gates.
    public var nextAttemptDue: Date {
        let firstAllowed = containerStartedAt.addingTimeInterval(TimeInterval(settings.initialDelaySeconds))
        guard let last = lastProbeStartedAt else { return firstAllowed }
        return max(firstAllowed, last.addingTimeInterval(TimeInterval(settings.periodSeconds)))
    }

    /// Decides whether to probe at `now`. `containerStarted` is whether the container counts as started
    /// (no startup probe, or it passed). Returning `.probe` marks an attempt as running.
    public mutating func decide(now: Date, containerStarted: Bool) -> Decision {
        if isFinished || isOnHold || isProbing { return .idle }
        switch kind {
        case .startup where containerStarted: return .idle
        case .liveness where !containerStarted, .readiness where !containerStarted: return .idle
        default: break
        }
        let due = nextAttemptDue
        guard now >= due else { return .wait(until: due) }
        isProbing = true
        lastProbeStartedAt = now
        return .probe(timeout: settings.timeout)
    }

    /// Records the result of the attempt `decide` started.
    public mutating func record(_ result: ProbeResult) -> [Effect] {
        var effects: [Effect] = []
        effects.reserveCapacity(3)
        isProbing = false
        if isFinished || isOnHold { return effects }

        let succeeded: Bool
        let output: String
        switch result {
        case .unknown(let message):
            effects.append(.event(ContainerProbeEvent(
                type: "Warning", reason: "Unhealthy",
                message: "\(kind.eventName) probe errored and resulted in unknown state: \(message)")))
            return effects
        case .success(let text):
            succeeded = true
            output = text
        case .warning(let text):
            effects.append(.event(ContainerProbeEvent(
                type: "Warning", reason: "ProbeWarning", message: "\(kind.eventName) probe warning: \(text)")))
            succeeded = true
            output = text
        case .failure(let text):
            effects.append(.event(ContainerProbeEvent(
                type: "Warning", reason: "Unhealthy", message: "\(kind.eventName) probe failed: \(text)")))
            succeeded = false
            output = text
        }

        if lastAttemptSucceeded == succeeded {
            resultRun += 1
        } else {
            lastAttemptSucceeded = succeeded
            resultRun = 1
        }
        let threshold = succeeded ? settings.successThreshold : settings.failureThreshold
        if resultRun < Int(threshold) { return effects }

        let newStatus: ProbeStatus = succeeded ? .success : .failure
        if newStatus != status {
            status = newStatus
            effects.append(.statusChanged(newStatus))
        }
        if !succeeded && kind.failureKillsContainer {
            isOnHold = true
            resultRun = 0
            effects.append(.containerFailed(
                message: output, terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds))
        }
        return effects
    }

    /// The pod is being deleted: liveness and startup report success and stop (so a shutting-down
    /// container is not restarted); readiness keeps probing.
    public mutating func podTerminating() -> [Effect] {
        guard kind.failureKillsContainer, !isFinished else { return [] }
        isFinished = true
        guard status != .success else { return [] }
        status = .success
        return [.statusChanged(.success)]
    }
}
