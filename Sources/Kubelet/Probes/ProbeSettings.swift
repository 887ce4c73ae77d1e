public import KubeAPI

/// A probe's timing and thresholds after defaulting (upstream's API defaults: period 10 s, timeout 1 s,
/// success threshold 1, failure threshold 3), with the success threshold forced to 1 for liveness and
/// startup probes as validation requires.
///
/// Value type; `Sendable`.
public struct ProbeSettings: Sendable, Equatable {
    public var initialDelaySeconds: Int32
    public var periodSeconds: Int32
    public var timeoutSeconds: Int32
    public var successThreshold: Int32
    public var failureThreshold: Int32
    /// Grace period for a kill caused by this probe (liveness, startup); nil = the pod's.
    public var terminationGracePeriodSeconds: Int64?

    public init(
        initialDelaySeconds: Int32 = 0, periodSeconds: Int32 = 10, timeoutSeconds: Int32 = 1,
        successThreshold: Int32 = 1, failureThreshold: Int32 = 3, terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.initialDelaySeconds = max(0, initialDelaySeconds)
        self.periodSeconds = max(1, periodSeconds)
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.successThreshold = max(1, successThreshold)
        self.failureThreshold = max(1, failureThreshold)
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    /// Settings of `probe` used as a probe of `kind`; zero fields take the API defaults.
    public init(_ probe: Probe, kind: ProbeKind) {
        self.init(
            initialDelaySeconds: probe.initialDelaySeconds,
            periodSeconds: probe.periodSeconds > 0 ? probe.periodSeconds : 10,
            timeoutSeconds: probe.timeoutSeconds > 0 ? probe.timeoutSeconds : 1,
            successThreshold: kind == .readiness && probe.successThreshold > 0 ? probe.successThreshold : 1,
            failureThreshold: probe.failureThreshold > 0 ? probe.failureThreshold : 3,
            terminationGracePeriodSeconds: kind == .readiness ? nil : probe.terminationGracePeriodSeconds)
    }

    public var timeout: Duration { .seconds(Int64(timeoutSeconds)) }
}
