import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// The FailedScheduling message, worded as upstream v1.32 `FitError.Error()` with the
/// DefaultPreemption PostFilter message.
@Suite struct FailedSchedulingMessageTests {
    static let controlPlaneTaint = Fixture.taint("node-role.kubernetes.io/control-plane")

    @Test func insufficientCPUAndTaintsWithNoLowerPriorityVictims() {
        let snapshot = Fixture.snapshot(nodes: [
            Fixture.node("worker", cpu: "1"),
            Fixture.node("cp1", taints: [Self.controlPlaneTaint]),
            Fixture.node("cp2", taints: [Self.controlPlaneTaint]),
        ])
        let failure = Fixture.schedule(Fixture.pod("p", cpu: "2"), snapshot).failure
        #expect(
            failure?.message
                == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
        )
    }

    @Test func onlyUnresolvableReasons() {
        let snapshot = Fixture.snapshot(nodes: [
            Fixture.node("a", taints: [Self.controlPlaneTaint]),
            Fixture.node("b", labels: ["disk": "hdd"]),
            Fixture.node("c", unschedulable: true),
        ])
        let pod = Fixture.pod("p") { $0.spec.nodeSelector = ["disk": "ssd"] }
        #expect(
            Fixture.schedule(pod, snapshot).failure?.message
                == "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    }

    @Test func multipleResourceReasonsPerNodeAreCountedSeparately() {
        let snapshot = Fixture.snapshot(nodes: [Fixture.node("a", cpu: "1", memory: "1Gi"), Fixture.node("b", cpu: "1", memory: "8Gi")])
        #expect(
            Fixture.schedule(Fixture.pod("p", cpu: "2", memory: "2Gi"), snapshot).failure?.message
                == "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
        )
    }

    @Test func preemptionPolicyNever() {
        let snapshot = Fixture.snapshot(nodes: [Fixture.node("a", cpu: "1")])
        let pod = Fixture.pod("p", cpu: "2") { $0.spec.preemptionPolicy = "Never" }
        #expect(
            Fixture.schedule(pod, snapshot).failure?.message
                == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        )
    }

    @Test func lowerPriorityPodsThatWouldNotMakeRoomKeepTheirReasons() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a", cpu: "1")],
            pods: [Fixture.pod("low", cpu: "500m", nodeName: "a", priority: 0)]
        )
        let pod = Fixture.pod("p", cpu: "2", priority: 100)
        #expect(
            Fixture.schedule(pod, snapshot).failure?.message
                == "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu."
        )
    }

    @Test func whenPreemptionCouldMakeRoomNoPostFilterMessageIsPrinted() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a", cpu: "1")],
            pods: [Fixture.pod("low", cpu: "800m", nodeName: "a", priority: 0)]
        )
        let failure = Fixture.schedule(Fixture.pod("p", cpu: "500m", priority: 100), snapshot).failure
        #expect(failure?.message == "0/1 nodes are available: 1 Insufficient cpu.")
        #expect(failure?.postFilterMessage == nil)
    }

    @Test func conflictingNodeNameTermsFailInPreFilter() {
        let pod = Fixture.pod("p") {
            $0.spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [
                NodeSelectorTerm(matchFields: [
                    Fixture.requirement("metadata.name", "In", ["a"]), Fixture.requirement("metadata.name", "In", ["b"]),
                ])
            ])))
        }
        let snapshot = Fixture.snapshot(nodes: [Fixture.node("a"), Fixture.node("b")])
        #expect(
            Fixture.schedule(pod, snapshot).failure?.message
                == "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        )
    }

    @Test func noNodes() {
        #expect(Fixture.schedule(Fixture.pod("p"), ClusterSnapshot()).failure?.message == "no nodes available to schedule pods")
    }

    @Test func histogramSortsLikeGoStrings() {
        let histogram = SchedulingFailure.reasonHistogram([["b"], ["a"], ["b"], ["B"], ["10 x"]])
        #expect(histogram == ["1 10 x", "1 B", "1 a", "2 b"])
    }
}
