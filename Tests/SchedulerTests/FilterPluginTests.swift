import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// Each default-profile filter, checked through the whole algorithm: the pod either lands on the one
/// node that passes, or fails with upstream's reason.
@Suite struct FilterPluginTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let nodes: [Node]
        let existing: [Pod]
        let pod: Pod
        /// The node the pod must land on, or nil for a failure.
        let expectedNode: String?
        /// Reasons expected per failing node (checked when present).
        let expectedReasons: [String: [String]]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "NodeUnschedulable rejects a cordoned node",
            nodes: [Fixture.node("a", unschedulable: true), Fixture.node("b")],
            existing: [], pod: Fixture.pod("p"), expectedNode: "b",
            expectedReasons: [:]
        ),
        Case(
            name: "NodeUnschedulable: toleration of node.kubernetes.io/unschedulable",
            nodes: [Fixture.node("a", unschedulable: true)],
            existing: [],
            pod: Fixture.pod("p") { $0.spec.tolerations = [Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule")] },
            expectedNode: "a", expectedReasons: [:]
        ),
        Case(
            name: "NodeUnschedulable reason",
            nodes: [Fixture.node("a", unschedulable: true)],
            existing: [], pod: Fixture.pod("p"), expectedNode: nil,
            expectedReasons: ["a": ["node(s) were unschedulable"]]
        ),
        Case(
            name: "NodeName",
            nodes: [Fixture.node("a"), Fixture.node("b")],
            existing: [], pod: Fixture.pod("p", nodeName: "b"), expectedNode: "b",
            expectedReasons: [:]
        ),
        Case(
            name: "TaintToleration NoSchedule and NoExecute reject, PreferNoSchedule does not",
            nodes: [
                Fixture.node("a", taints: [Fixture.taint("dedicated", "gpu")]),
                Fixture.node("b", taints: [Fixture.taint("evict", effect: "NoExecute")]),
                Fixture.node("c", taints: [Fixture.taint("soft", effect: "PreferNoSchedule")]),
            ],
            existing: [], pod: Fixture.pod("p"), expectedNode: "c",
            expectedReasons: [:]
        ),
        Case(
            name: "TaintToleration reason names the first untolerated taint",
            nodes: [Fixture.node("a", taints: [Fixture.taint("tolerated", "x"), Fixture.taint("dedicated", "gpu")])],
            existing: [],
            pod: Fixture.pod("p") { $0.spec.tolerations = [Toleration(key: "tolerated", operator: "Equal", value: "x")] },
            expectedNode: nil,
            expectedReasons: ["a": ["node(s) had untolerated taint {dedicated: gpu}"]]
        ),
        Case(
            name: "TaintToleration: Exists with empty key tolerates everything",
            nodes: [Fixture.node("a", taints: [Fixture.taint("dedicated", "gpu", effect: "NoExecute")])],
            existing: [], pod: Fixture.pod("p") { $0.spec.tolerations = [Toleration(operator: "Exists")] },
            expectedNode: "a", expectedReasons: [:]
        ),
        Case(
            name: "TaintToleration: effect must match",
            nodes: [Fixture.node("a", taints: [Fixture.taint("k", "v", effect: "NoExecute")])],
            existing: [],
            pod: Fixture.pod("p") { $0.spec.tolerations = [Toleration(key: "k", operator: "Equal", value: "v", effect: "NoSchedule")] },
            expectedNode: nil, expectedReasons: ["a": ["node(s) had untolerated taint {k: v}"]]
        ),
        Case(
            name: "NodeAffinity: nodeSelector",
            nodes: [Fixture.node("a", labels: ["disk": "hdd"]), Fixture.node("b", labels: ["disk": "ssd"])],
            existing: [], pod: Fixture.pod("p") { $0.spec.nodeSelector = ["disk": "ssd"] },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "NodeAffinity: required terms are ORed, expressions ANDed, Gt compares integers",
            nodes: [
                Fixture.node("a", labels: ["zone": "z1", "gen": "3"]),
                Fixture.node("b", labels: ["zone": "z2", "gen": "5"]),
            ],
            existing: [],
            pod: Fixture.pod("p") {
                $0.spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [
                    NodeSelectorTerm(matchExpressions: [Fixture.requirement("zone", "In", ["z1"]), Fixture.requirement("gen", "Gt", ["4"])]),
                    NodeSelectorTerm(matchExpressions: [Fixture.requirement("zone", "NotIn", ["z1"]), Fixture.requirement("gen", "Gt", ["4"])]),
                ])))
            },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "NodeAffinity reason",
            nodes: [Fixture.node("a")],
            existing: [], pod: Fixture.pod("p") { $0.spec.nodeSelector = ["disk": "ssd"] },
            expectedNode: nil, expectedReasons: ["a": ["node(s) didn't match Pod's node affinity/selector"]]
        ),
        Case(
            name: "NodeAffinity: matchFields metadata.name (DaemonSet pods)",
            nodes: [Fixture.node("a"), Fixture.node("b"), Fixture.node("c")],
            existing: [],
            pod: Fixture.pod("p") {
                $0.spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [
                    NodeSelectorTerm(matchFields: [Fixture.requirement("metadata.name", "In", ["b"])])
                ])))
            },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "NodeAffinity: nodes outside the matchFields PreFilter result",
            nodes: [Fixture.node("a"), Fixture.node("b", cpu: "1")],
            existing: [],
            pod: Fixture.pod("p", cpu: "2") {
                $0.spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [
                    NodeSelectorTerm(matchFields: [Fixture.requirement("metadata.name", "In", ["b"])])
                ])))
            },
            expectedNode: nil,
            expectedReasons: ["a": ["node(s) didn't satisfy plugin(s) [NodeAffinity]"], "b": ["Insufficient cpu"]]
        ),
        Case(
            name: "NodePorts: a used host port conflicts, another IP on a specific address does not",
            nodes: [Fixture.node("a"), Fixture.node("b")],
            existing: [Fixture.pod("web", nodeName: "a") { $0.spec.containers = [Fixture.container(hostPort: 8080)] }],
            pod: Fixture.pod("p") { $0.spec.containers = [Fixture.container(hostPort: 8080)] },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "NodePorts reason",
            nodes: [Fixture.node("a")],
            existing: [Fixture.pod("web", nodeName: "a") { $0.spec.containers = [Fixture.container(hostPort: 80)] }],
            pod: Fixture.pod("p") { $0.spec.containers = [Fixture.container(hostPort: 80)] },
            expectedNode: nil, expectedReasons: ["a": ["node(s) didn't have free ports for the requested pod ports"]]
        ),
        Case(
            name: "NodeResourcesFit: cpu and memory together",
            nodes: [Fixture.node("a", cpu: "1", memory: "1Gi")],
            existing: [], pod: Fixture.pod("p", cpu: "2", memory: "2Gi"),
            expectedNode: nil, expectedReasons: ["a": ["Insufficient cpu", "Insufficient memory"]]
        ),
        Case(
            name: "NodeResourcesFit: requests of assigned pods are used up",
            nodes: [Fixture.node("a", cpu: "1"), Fixture.node("b", cpu: "1")],
            existing: [Fixture.pod("big", cpu: "800m", nodeName: "a")],
            pod: Fixture.pod("p", cpu: "300m"), expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "NodeResourcesFit: pods without requests fit a full node, but not past the pod count",
            nodes: [Fixture.node("a", cpu: "1", pods: 2)],
            existing: [Fixture.pod("big", cpu: "1", nodeName: "a"), Fixture.pod("other", nodeName: "a")],
            pod: Fixture.pod("p"), expectedNode: nil, expectedReasons: ["a": ["Too many pods"]]
        ),
        Case(
            name: "NodeResourcesFit: ephemeral-storage",
            nodes: [Fixture.node("a", ephemeral: "1Gi")],
            existing: [],
            pod: Fixture.pod("p") { $0.spec.containers = [Fixture.container(ephemeral: "2Gi")] },
            expectedNode: nil, expectedReasons: ["a": ["Insufficient ephemeral-storage"]]
        ),
        Case(
            name: "NodeResourcesFit: init containers take the maximum, overhead adds",
            nodes: [Fixture.node("a", cpu: "1")],
            existing: [],
            pod: Fixture.pod("p", cpu: "200m") {
                $0.spec.initContainers = [Fixture.container(cpu: "900m")]
                $0.spec.overhead = ["cpu": Quantity("150m")!]
            },
            expectedNode: nil, expectedReasons: ["a": ["Insufficient cpu"]]
        ),
        Case(
            name: "InterPodAffinity: required affinity follows the matching pod's zone",
            nodes: [Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"])],
            existing: [Fixture.pod("db", labels: ["app": "db"], nodeName: "b")],
            pod: Fixture.pod("p") {
                $0.spec.affinity = Affinity(podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                    Fixture.podAffinityTerm(["app": "db"], topologyKey: "zone")
                ]))
            },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "InterPodAffinity: the first pod of a self-affine group may go anywhere",
            nodes: [Fixture.node("a", labels: ["zone": "z1"])],
            existing: [],
            pod: Fixture.pod("p", labels: ["app": "web"]) {
                $0.spec.affinity = Affinity(podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                    Fixture.podAffinityTerm(["app": "web"], topologyKey: "zone")
                ]))
            },
            expectedNode: "a", expectedReasons: [:]
        ),
        Case(
            name: "InterPodAffinity: affinity reason",
            nodes: [Fixture.node("a")],
            existing: [],
            pod: Fixture.pod("p") {
                $0.spec.affinity = Affinity(podAffinity: PodAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                    Fixture.podAffinityTerm(["app": "db"])
                ]))
            },
            expectedNode: nil, expectedReasons: ["a": ["node(s) didn't match pod affinity rules"]]
        ),
        Case(
            name: "InterPodAffinity: required anti-affinity",
            nodes: [Fixture.node("a"), Fixture.node("b")],
            existing: [Fixture.pod("web-1", labels: ["app": "web"], nodeName: "a")],
            pod: Fixture.pod("web-2", labels: ["app": "web"]) {
                $0.spec.affinity = Affinity(podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                    Fixture.podAffinityTerm(["app": "web"])
                ]))
            },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "InterPodAffinity: existing pods' anti-affinity",
            nodes: [Fixture.node("a")],
            existing: [
                Fixture.pod("loner", nodeName: "a") {
                    $0.spec.affinity = Affinity(podAntiAffinity: PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [
                        Fixture.podAffinityTerm(["app": "web"])
                    ]))
                }
            ],
            pod: Fixture.pod("p", labels: ["app": "web"]),
            expectedNode: nil, expectedReasons: ["a": ["node(s) didn't satisfy existing pods anti-affinity rules"]]
        ),
        Case(
            name: "PodTopologySpread: DoNotSchedule keeps the skew",
            nodes: [Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"])],
            existing: [Fixture.pod("w1", labels: ["app": "w"], nodeName: "a")],
            pod: Fixture.pod("w2", labels: ["app": "w"]) {
                $0.spec.topologySpreadConstraints = [TopologySpreadConstraint(
                    maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: LabelSelector(matchLabels: ["app": "w"])
                )]
            },
            expectedNode: "b", expectedReasons: [:]
        ),
        Case(
            name: "PodTopologySpread: reasons for skew and missing label",
            nodes: [Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"]), Fixture.node("c")],
            existing: [Fixture.pod("w1", labels: ["app": "w"], nodeName: "a")],
            pod: Fixture.pod("w2", labels: ["app": "w"]) {
                $0.spec.nodeSelector = ["kubernetes.io/hostname": "a"]
                $0.spec.topologySpreadConstraints = [TopologySpreadConstraint(
                    maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: LabelSelector(matchLabels: ["app": "w"]),
                    nodeAffinityPolicy: "Ignore"
                )]
            },
            expectedNode: nil,
            expectedReasons: [
                "a": ["node(s) didn't match pod topology spread constraints"],
                "b": ["node(s) didn't match Pod's node affinity/selector"],
                "c": ["node(s) didn't match Pod's node affinity/selector"],
            ]
        ),
    ]

    @Test(arguments: cases)
    func filter(_ testCase: Case) {
        let snapshot = Fixture.snapshot(nodes: testCase.nodes, pods: testCase.existing)
        let decision = Fixture.schedule(testCase.pod, snapshot)
        if let expected = testCase.expectedNode {
            #expect(decision.nodeName == expected, "\(decision)")
        } else {
            let failure = try? #require(decision.failure)
            for (node, reasons) in testCase.expectedReasons {
                #expect(failure?.reasonsByNode[node] == reasons, "node \(node): \(String(describing: failure?.reasonsByNode))")
            }
        }
    }

    @Test func hostPortOnDifferentSpecificAddressesDoesNotConflict() {
        let used = HostPort(hostIP: "10.0.0.1", protocol: "TCP", port: 80)
        #expect(!used.conflicts(with: HostPort(hostIP: "10.0.0.2", protocol: "TCP", port: 80)))
        #expect(used.conflicts(with: HostPort(hostIP: "", protocol: "TCP", port: 80)))
        #expect(!used.conflicts(with: HostPort(hostIP: "10.0.0.1", protocol: "UDP", port: 80)))
    }

    @Test func sidecarInitContainersAddToTheSum() {
        var pod = Fixture.pod("p", cpu: "100m")
        var sidecar = Fixture.container(cpu: "200m")
        sidecar.restartPolicy = "Always"
        pod.spec.initContainers = [sidecar, Fixture.container(cpu: "250m")]
        let info = PodInfo(pod)
        // max(100m + 200m, 250m + 200m) = 450m
        #expect(info.requests.milliCPU == 450)
        // Scoring counts a container without a memory request as 200Mi.
        #expect(info.nonZeroRequests.memory == 2 * 200 * 1024 * 1024)
        #expect(info.requests.memory == 0)
    }
}
