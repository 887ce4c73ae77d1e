import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// The score plugins of the default profile, each in isolation, and the weighted total.
@Suite struct ScorePluginTests {
    @Test func leastAllocatedUsesNonZeroDefaults() {
        // 1000m / 1000Mi node, empty: a pod without requests counts 100m and 200Mi.
        let node = Fixture.node("a", cpu: "1", memory: "1000Mi")
        let snapshot = Fixture.snapshot(nodes: [node])
        let scores = ScorePlugins.leastAllocated(pod: PodInfo(Fixture.pod("p")), feasible: [0], nodes: snapshot.nodes)
        // cpu: (1000-100)*100/1000 = 90; memory: (1000-200)*100/1000 = 80; mean 85.
        #expect(scores == [85])
    }

    @Test func leastAllocatedPrefersTheEmptierNode() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a", cpu: "2", memory: "4Gi"), Fixture.node("b", cpu: "2", memory: "4Gi")],
            pods: [Fixture.pod("x", cpu: "1", memory: "2Gi", nodeName: "a")]
        )
        let scores = ScorePlugins.leastAllocated(pod: PodInfo(Fixture.pod("p", cpu: "500m", memory: "1Gi")), feasible: [0, 1], nodes: snapshot.nodes)
        // a: cpu (2000-1500)/2000 = 25, memory (4-3)/4 = 25 → 25; b: 75 and 75 → 75.
        #expect(scores == [25, 75])
    }

    @Test func balancedAllocation() {
        let snapshot = Fixture.snapshot(nodes: [Fixture.node("a", cpu: "4", memory: "4Gi")])
        let scores = ScorePlugins.balancedAllocation(
            pod: PodInfo(Fixture.pod("p", cpu: "2", memory: "1Gi")), feasible: [0], nodes: snapshot.nodes
        )
        // fractions 0.5 and 0.25 → std 0.125 → 87
        #expect(scores == [87])
        #expect(ScorePlugins.balancedAllocation(pod: PodInfo(Fixture.pod("be")), feasible: [0], nodes: snapshot.nodes) == nil)
    }

    @Test func taintTolerationPreferNoScheduleIsReversedAndNormalised() {
        let soft = Fixture.taint("soft", effect: "PreferNoSchedule")
        let snapshot = Fixture.snapshot(nodes: [
            Fixture.node("a"), Fixture.node("b", taints: [soft]), Fixture.node("c", taints: [soft, Fixture.taint("soft2", effect: "PreferNoSchedule")]),
        ])
        let scores = ScorePlugins.taintToleration(pod: PodInfo(Fixture.pod("p")), feasible: [0, 1, 2], nodes: snapshot.nodes)
        #expect(scores == [100, 50, 0])
        let tolerant = Fixture.pod("t") { $0.spec.tolerations = [Toleration(key: "soft", operator: "Exists")] }
        #expect(ScorePlugins.taintToleration(pod: PodInfo(tolerant), feasible: [0, 1, 2], nodes: snapshot.nodes) == [100, 100, 0])
    }

    @Test func preferredNodeAffinity() {
        let snapshot = Fixture.snapshot(nodes: [
            Fixture.node("a", labels: ["disk": "ssd"]), Fixture.node("b", labels: ["disk": "ssd", "gpu": "yes"]), Fixture.node("c"),
        ])
        let pod = Fixture.pod("p") {
            $0.spec.affinity = Affinity(nodeAffinity: NodeAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                PreferredSchedulingTerm(weight: 20, preference: NodeSelectorTerm(matchExpressions: [Fixture.requirement("disk", "In", ["ssd"])])),
                PreferredSchedulingTerm(weight: 60, preference: NodeSelectorTerm(matchExpressions: [Fixture.requirement("gpu", "Exists")])),
            ]))
        }
        #expect(ScorePlugins.nodeAffinity(pod: PodInfo(pod), feasible: [0, 1, 2], nodes: snapshot.nodes) == [25, 100, 0])
        #expect(ScorePlugins.nodeAffinity(pod: PodInfo(Fixture.pod("plain")), feasible: [0], nodes: snapshot.nodes) == nil)
    }

    @Test func preferredInterPodAffinityAndAntiAffinity() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"]), Fixture.node("c", labels: ["zone": "z3"])],
            pods: [
                Fixture.pod("cache", labels: ["app": "cache"], nodeName: "a"),
                Fixture.pod("noisy", labels: ["app": "noisy"], nodeName: "b"),
            ]
        )
        let pod = Fixture.pod("p") {
            $0.spec.affinity = Affinity(
                podAffinity: PodAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                    WeightedPodAffinityTerm(weight: 10, podAffinityTerm: Fixture.podAffinityTerm(["app": "cache"], topologyKey: "zone"))
                ]),
                podAntiAffinity: PodAntiAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                    WeightedPodAffinityTerm(weight: 10, podAffinityTerm: Fixture.podAffinityTerm(["app": "noisy"], topologyKey: "zone"))
                ])
            )
        }
        // raw: a +10, b -10, c 0 → min-max: 100, 0, 50
        #expect(InterPodAffinityScoring.scores(pod: PodInfo(pod), feasible: [0, 1, 2], snapshot: snapshot) == [100, 0, 50])
        #expect(InterPodAffinityScoring.scores(pod: PodInfo(Fixture.pod("plain")), feasible: [0, 1, 2], snapshot: snapshot) == nil)
    }

    @Test func existingPodsRequiredAffinityAttractsMatchingPods() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a"), Fixture.node("b")],
            pods: [
                Fixture.pod("friend", nodeName: "b") {
                    $0.spec.affinity = Affinity(podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                        Fixture.podAffinityTerm(["app": "web"])
                    ]))
                }
            ]
        )
        let scores = InterPodAffinityScoring.scores(pod: PodInfo(Fixture.pod("p", labels: ["app": "web"])), feasible: [0, 1], snapshot: snapshot)
        #expect(scores == [0, 100])
    }

    @Test func defaultSpreadingPrefersNodesWithFewerPodsOfTheSameOwner() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a"), Fixture.node("b"), Fixture.node("c")],
            pods: [
                Fixture.pod("rs-1", nodeName: "a", owner: "rs"),
                Fixture.pod("rs-2", nodeName: "a", owner: "rs"),
                Fixture.pod("rs-3", nodeName: "b", owner: "rs"),
                Fixture.pod("other", nodeName: "c", owner: "other"),
            ]
        )
        let scores = PodTopologySpreadScoring.scores(pod: PodInfo(Fixture.pod("rs-4", owner: "rs")), feasible: [0, 1, 2], snapshot: snapshot)
        // hostname weight log(3+2): a 2*1.609+2 = 5.22 → 5, b 1.609+2 → 4 (3.6 rounds to 4), c 2;
        // normalised 100*(max+min-s)/max: a 40, b 60, c 100.
        #expect(scores == [40, 60, 100])
        #expect(PodTopologySpreadScoring.scores(pod: PodInfo(Fixture.pod("orphan")), feasible: [0, 1, 2], snapshot: snapshot) == nil)
    }

    @Test func softTopologySpreadConstraint() {
        let snapshot = Fixture.snapshot(
            nodes: [Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"]), Fixture.node("c")],
            pods: [Fixture.pod("w1", labels: ["app": "w"], nodeName: "a")]
        )
        let pod = Fixture.pod("w2", labels: ["app": "w"]) {
            $0.spec.topologySpreadConstraints = [TopologySpreadConstraint(
                maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: LabelSelector(matchLabels: ["app": "w"])
            )]
        }
        // c lacks the zone label → ignored (0); a: 1*log(4)=1.39 → 1; b: 0 → normalised a 0... max 1, min 0: a 0, b 100.
        #expect(PodTopologySpreadScoring.scores(pod: PodInfo(pod), feasible: [0, 1, 2], snapshot: snapshot) == [0, 100, 0])
    }

    @Test func replicasSpreadAcrossNodesWhenScheduledOneAfterAnother() {
        var snapshot = Fixture.snapshot(nodes: (1...4).map { Fixture.node("n\($0)") })
        var algorithm = SchedulingAlgorithm()
        var random = SeededRandom(seed: 7)
        var placements: [String: Int] = [:]
        for index in 0..<8 {
            let pod = PodInfo(Fixture.pod("rs-\(index)", cpu: "100m", memory: "128Mi", owner: "rs"))
            let node = try? #require(algorithm.schedule(pod, in: snapshot, using: &random).nodeName)
            guard let node else { return }
            snapshot.addPod(pod, toNode: node)
            placements[node, default: 0] += 1
        }
        #expect(placements.values.sorted() == [2, 2, 2, 2])
    }

    @Test func tiesAreBrokenByTheInjectedRandomSource() {
        let snapshot = Fixture.snapshot(nodes: (1...5).map { Fixture.node("n\($0)") })
        var chosen: Set<String> = []
        for seed in 0..<40 as Range<UInt64> {
            if let node = Fixture.schedule(Fixture.pod("p"), snapshot, seed: seed).nodeName { chosen.insert(node) }
        }
        #expect(chosen.count > 1)
        #expect(Fixture.schedule(Fixture.pod("p"), snapshot, seed: 3) == Fixture.schedule(Fixture.pod("p"), snapshot, seed: 3))
    }
}
