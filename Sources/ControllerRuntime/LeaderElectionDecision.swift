public import Foundation
public import KubeAPI
import KubeCore

/// Upstream `tryAcquireOrRenew` as a pure function over a coordination/v1 Lease: take a free or expired
/// lease, renew one we hold, otherwise wait for the holder. `now` is a parameter.
///
/// Stateless namespace.
public enum LeaderElectionDecision {
    public enum Action: Sendable, Equatable {
        /// No Lease exists: create this one.
        case create(Lease)
        /// Write this Lease (a renewal, or a takeover of an expired lease), conditional on its resourceVersion.
        case update(Lease)
        /// Someone else holds a valid lease.
        case wait(holder: String)
    }

    public static func decide(current: Lease?, namespace: String, name: String, identity: String,
                              leaseDuration: Duration, now: Date) -> Action {
        let seconds = Int32(leaseDuration.components.seconds)
        let time = MicroTime(now)
        guard var lease = current else {
            var lease = Lease()
            lease.metadata.namespace = namespace
            lease.metadata.name = name
            lease.spec.holderIdentity = identity
            lease.spec.leaseDurationSeconds = seconds
            lease.spec.acquireTime = time
            lease.spec.renewTime = time
            lease.spec.leaseTransitions = 0
            return .create(lease)
        }
        let holder = lease.spec.holderIdentity ?? ""
        if holder == identity {
            lease.spec.renewTime = time
            lease.spec.leaseDurationSeconds = seconds
            return .update(lease)
        }
        if !holder.isEmpty, let renew = lease.spec.renewTime {
            let duration = TimeInterval(lease.spec.leaseDurationSeconds ?? seconds)
            let expires = Date(timeIntervalSince1970: Double(renew.microsecondsSince1970) / 1e6 + duration)
            if expires > now { return .wait(holder: holder) }
        }
        lease.spec.holderIdentity = identity
        lease.spec.leaseDurationSeconds = seconds
        lease.spec.acquireTime = time
        lease.spec.renewTime = time
        lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + (holder.isEmpty ? 0 : 1)
        return .update(lease)
    }
}
