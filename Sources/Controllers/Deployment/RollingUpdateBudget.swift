public import KubeAPI
public import KubeCore

/// Upstream `ResolveFenceposts`, `MaxSurge`, `MaxUnavailable` and `MinAvailable`: a rolling update's
/// surge (percentages rounded up) and unavailability (rounded down) budgets; when both resolve to zero,
/// one pod may be unavailable.
///
/// Stateless; Sendable.
public enum RollingUpdateBudget {
    public static func resolveFenceposts(maxSurge: IntOrString?, maxUnavailable: IntOrString?, desired: Int32)
        -> (surge: Int32, unavailable: Int32)
    {
        let surge = (try? (maxSurge ?? .int(0)).scaledValue(total: Int(desired), roundUp: true)) ?? 0
        var unavailable = (try? (maxUnavailable ?? .int(0)).scaledValue(total: Int(desired), roundUp: false)) ?? 0
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (Int32(clamping: surge), Int32(clamping: unavailable))
    }

    public static func maxSurge(_ deployment: Deployment) -> Int32 {
        guard deployment.isRollingUpdate else { return 0 }
        let rolling = deployment.spec.strategy.rollingUpdate
        return resolveFenceposts(maxSurge: rolling?.maxSurge, maxUnavailable: rolling?.maxUnavailable,
                                 desired: deployment.desiredReplicas).surge
    }

    public static func maxUnavailable(_ deployment: Deployment) -> Int32 {
        guard deployment.isRollingUpdate, deployment.desiredReplicas != 0 else { return 0 }
        let rolling = deployment.spec.strategy.rollingUpdate
        let unavailable = resolveFenceposts(maxSurge: rolling?.maxSurge, maxUnavailable: rolling?.maxUnavailable,
                                            desired: deployment.desiredReplicas).unavailable
        return min(unavailable, deployment.desiredReplicas)
    }

    public static func minAvailable(_ deployment: Deployment) -> Int32 {
        guard deployment.isRollingUpdate else { return 0 }
        return deployment.desiredReplicas - maxUnavailable(deployment)
    }
}

extension Deployment {
    /// `spec.replicas`, 1 when unset (the API server defaults it).
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }

    /// True for the RollingUpdate strategy (also when the type was left empty, which defaults to it).
    public var isRollingUpdate: Bool { spec.strategy.type == "RollingUpdate" || spec.strategy.type.isEmpty }

    /// Upstream `HasProgressDeadline`: set and not `math.MaxInt32`.
    public var hasProgressDeadline: Bool {
        guard let seconds = spec.progressDeadlineSeconds else { return false }
        return seconds != Int32.max
    }

    /// Upstream `HasRevisionHistoryLimit`: set and not `math.MaxInt32`.
    public var hasRevisionHistoryLimit: Bool {
        guard let limit = spec.revisionHistoryLimit else { return false }
        return limit != Int32.max
    }
}
