import ControllerRuntime
import Foundation
import KubeAPI
import KubeCore
import Testing

@Suite struct LeaderElectionDecisionTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    func lease(holder: String?, renewedSecondsAgo: Double, duration: Int32 = 15, transitions: Int32 = 2) -> Lease {
        var lease = Lease()
        lease.metadata.namespace = "kube-system"
        lease.metadata.name = "kube-controller-manager"
        lease.spec.holderIdentity = holder
        lease.spec.leaseDurationSeconds = duration
        lease.spec.renewTime = MicroTime(now.addingTimeInterval(-renewedSecondsAgo))
        lease.spec.leaseTransitions = transitions
        return lease
    }

    func decide(_ current: Lease?) -> LeaderElectionDecision.Action {
        LeaderElectionDecision.decide(current: current, namespace: "kube-system", name: "kube-controller-manager",
                                      identity: "me", leaseDuration: .seconds(15), now: now)
    }

    @Test func noLeaseIsCreated() {
        guard case .create(let lease) = decide(nil) else { Issue.record("expected create"); return }
        #expect(lease.spec.holderIdentity == "me")
        #expect(lease.spec.leaseDurationSeconds == 15)
        #expect(lease.spec.leaseTransitions == 0)
    }

    @Test func ownLeaseIsRenewed() {
        guard case .update(let lease) = decide(lease(holder: "me", renewedSecondsAgo: 5)) else {
            Issue.record("expected update"); return
        }
        #expect(lease.spec.renewTime == MicroTime(now))
        #expect(lease.spec.leaseTransitions == 2)
    }

    @Test func othersValidLeaseIsRespected() {
        #expect(decide(lease(holder: "other", renewedSecondsAgo: 10)) == .wait(holder: "other"))
    }

    @Test func expiredLeaseIsTakenOverWithATransition() {
        guard case .update(let lease) = decide(lease(holder: "other", renewedSecondsAgo: 16)) else {
            Issue.record("expected takeover"); return
        }
        #expect(lease.spec.holderIdentity == "me")
        #expect(lease.spec.leaseTransitions == 3)
        #expect(lease.spec.acquireTime == MicroTime(now))
    }
}
