/// The two container lifecycle hooks.
public enum LifecycleHook: String, Sendable, Hashable, CaseIterable {
    case postStart
    case preStop

    /// The reason of the Warning event upstream records when the hook fails.
    public var failureEventReason: String {
        switch self {
        case .postStart: return "FailedPostStartHook"
        case .preStop: return "FailedPreStopHook"
        }
    }

    /// Upstream's `ErrPostStartHook` text: a failed postStart hook fails the container start with this
    /// reason (`waiting.reason`, and `failed to "StartContainer" for "web" with PostStartHookError: …`).
    public static let postStartErrorReason = "PostStartHookError"
}

/// How a lifecycle hook ended.
public enum LifecycleHookOutcome: Sendable, Equatable {
    case succeeded
    /// The handler failed; `message` is upstream's (`Exec lifecycle hook ([/bin/false]) for Container
    /// "web" in Pod "web-0_default(uid)" failed - error: command '/bin/false' exited with 1: , message: ""`).
    case failed(message: String)
    /// The handler had not finished when the timeout elapsed (for preStop: the grace period). Upstream
    /// logs this and goes on with the stop; it records no event.
    case timedOut

    /// The Warning event to record for this outcome of `hook`, if any: postStart failures carry the
    /// message, preStop failures only `PreStopHook failed` (upstream keeps hook output out of events).
    public func event(for hook: LifecycleHook) -> (type: String, reason: String, message: String)? {
        guard case .failed(let message) = self else { return nil }
        switch hook {
        case .postStart: return ("Warning", hook.failureEventReason, message)
        case .preStop: return ("Warning", hook.failureEventReason, "PreStopHook failed")
        }
    }
}
