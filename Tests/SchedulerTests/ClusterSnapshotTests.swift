import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// Incremental maintenance of the snapshot: pods and nodes come and go in any order.
@Suite struct ClusterSnapshotTests {
    @Test func addingAndRemovingPodsKeepsNodeTotals() {
        var snapshot = Fixture.snapshot(nodes: [Fixture.node("a")])
        let web = Fixture.pod("web", cpu: "500m", memory: "1Gi", nodeName: "a") { $0.spec.containers[0].ports = [ContainerPort(hostPort: 80)] }
        snapshot.addPod(web)
        snapshot.addPod(Fixture.pod("idle", nodeName: "a"))
        var node = try? #require(snapshot.nodeInfo(named: "a"))
        #expect(node?.requested.milliCPU == 500)
        #expect(node?.nonZeroRequested.milliCPU == 600)
        #expect(node?.pods.count == 2)
        #expect(node?.usedPorts.count == 1)
        #expect(node?.capacity.podCount == 2)
        #expect(node?.capacity.requestedCPU == 500)
        #expect(node?.capacity.nonZeroRequestedCPU == 600)
        #expect(node?.capacity.requestedMemory == 1 << 30)
        #expect(node?.capacity.allocatableCPU == node?.allocatable.milliCPU)
        let copyBeforeRemoval = node
        let removed = snapshot.removePod(snapshotKey: PodInfo(web).snapshotKey)
        #expect(removed)
        node = snapshot.nodeInfo(named: "a")
        #expect(node?.requested == .zero)
        #expect(node?.capacity.podCount == 1)
        #expect(node?.capacity.requestedCPU == 0)
        // A NodeInfo copied out of the snapshot keeps its values (copy on write).
        #expect(copyBeforeRemoval?.pods.count == 2)
        #expect(copyBeforeRemoval?.capacity.podCount == 2)
        #expect(node?.usedPorts.isEmpty == true)
        #expect(snapshot.podCount == 1)
        let removedMissing = snapshot.removePod(snapshotKey: "missing")
        #expect(!removedMissing)
    }

    @Test func readdingAPodReplacesIt() {
        var snapshot = Fixture.snapshot(nodes: [Fixture.node("a"), Fixture.node("b")])
        let assumed = PodInfo(Fixture.pod("p", cpu: "1"))
        snapshot.addPod(assumed, toNode: "a")
        snapshot.addPod(Fixture.pod("p", cpu: "1", nodeName: "b"))
        #expect(snapshot.nodeInfo(named: "a")?.pods.isEmpty == true)
        #expect(snapshot.nodeInfo(named: "b")?.requested.milliCPU == 1000)
        #expect(snapshot.nodeName(ofPod: assumed.snapshotKey) == "b")
    }

    @Test func podsOfAnUnknownNodeWaitForIt() {
        var snapshot = ClusterSnapshot()
        snapshot.addPod(Fixture.pod("early", cpu: "2", nodeName: "late"))
        #expect(snapshot.nodeCount == 0)
        snapshot.upsertNode(Fixture.node("late"))
        #expect(snapshot.nodeInfo(named: "late")?.requested.milliCPU == 2000)
        snapshot.removeNode(named: "late")
        #expect(snapshot.nodeCount == 0)
        snapshot.upsertNode(Fixture.node("late"))
        #expect(snapshot.nodeInfo(named: "late")?.pods.count == 1)
    }

    @Test func removingANodeKeepsTheIndexConsistent() {
        var snapshot = Fixture.snapshot(nodes: ["a", "b", "c"].map { Fixture.node($0) })
        snapshot.removeNode(named: "a")
        #expect(snapshot.nodes.map(\.name).sorted() == ["b", "c"])
        #expect(snapshot.nodeInfo(named: "c")?.name == "c")
        #expect(snapshot.nodeInfo(named: "a") == nil)
    }

    @Test func updatingANodeKeepsItsPods() {
        var snapshot = Fixture.snapshot(nodes: [Fixture.node("a", cpu: "1")], pods: [Fixture.pod("p", cpu: "1", nodeName: "a")])
        snapshot.upsertNode(Fixture.node("a", cpu: "2", taints: [Fixture.taint("k")]))
        let node = snapshot.nodeInfo(named: "a")
        #expect(node?.allocatable.milliCPU == 2000)
        #expect(node?.taints.count == 1)
        #expect(node?.requested.milliCPU == 1000)
    }

    @Test func affinityCountersFollowPods() {
        var snapshot = Fixture.snapshot(nodes: [Fixture.node("a")])
        let loner = Fixture.pod("loner", nodeName: "a") {
            $0.spec.affinity = Affinity(podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [Fixture.podAffinityTerm(["x": "y"])]))
        }
        snapshot.addPod(loner)
        #expect(snapshot.podsWithRequiredAntiAffinity == 1)
        #expect(snapshot.podsWithAffinity == 1)
        snapshot.removePod(snapshotKey: PodInfo(loner).snapshotKey)
        #expect(snapshot.podsWithRequiredAntiAffinity == 0)
        #expect(snapshot.nodeInfo(named: "a")?.podsWithRequiredAntiAffinity == 0)
    }
}

/// How many nodes a cycle examines, and where the next one starts.
@Suite struct NodeSamplingTests {
    @Test(arguments: [
        (50, 50), (100, 100), (1000, 420), (5000, 500), (10000, 500), (20000, 1000), (150, 100),
    ])
    func adaptivePercentage(nodes: Int, expected: Int) {
        #expect(SchedulingAlgorithm().numFeasibleNodesToFind(nodeCount: nodes) == expected)
    }

    @Test func configuredPercentage() {
        let algorithm = SchedulingAlgorithm(configuration: SchedulingAlgorithmConfiguration(percentageOfNodesToScore: 100))
        #expect(algorithm.numFeasibleNodesToFind(nodeCount: 5000) == 5000)
        let small = SchedulingAlgorithm(configuration: SchedulingAlgorithmConfiguration(percentageOfNodesToScore: 1))
        #expect(small.numFeasibleNodesToFind(nodeCount: 5000) == 100)
    }

    @Test func startIndexRotatesByTheNodesExamined() {
        let snapshot = Fixture.snapshot(nodes: (0..<1000).map { Fixture.node("n\($0)") })
        var algorithm = SchedulingAlgorithm()
        var random = SeededRandom(seed: 1)
        let first = algorithm.schedule(PodInfo(Fixture.pod("p")), in: snapshot, using: &random)
        guard case .scheduled(let result) = first else {
            Issue.record("expected a placement, got \(first)")
            return
        }
        #expect(result.evaluatedNodes == 420)
        #expect(result.feasibleNodes == 420)
        #expect(algorithm.nextStartNodeIndex == 420)
        _ = algorithm.schedule(PodInfo(Fixture.pod("q")), in: snapshot, using: &random)
        #expect(algorithm.nextStartNodeIndex == 840)
        _ = algorithm.schedule(PodInfo(Fixture.pod("r")), in: snapshot, using: &random)
        #expect(algorithm.nextStartNodeIndex == 260)
    }

    @Test func infeasibleNodesCountAsExamined() {
        var nodes = (0..<200).map { Fixture.node("n\($0)") }
        for index in 0..<50 { nodes[index] = Fixture.node("n\(index)", unschedulable: true) }
        let snapshot = Fixture.snapshot(nodes: nodes)
        var algorithm = SchedulingAlgorithm()
        var random = SeededRandom(seed: 1)
        let decision = algorithm.schedule(PodInfo(Fixture.pod("p")), in: snapshot, using: &random)
        guard case .scheduled(let result) = decision else {
            Issue.record("expected a placement, got \(decision)")
            return
        }
        #expect(result.feasibleNodes == 100)
        #expect(result.evaluatedNodes == 150)
    }
}
