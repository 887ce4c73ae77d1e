/// Configuration of the scheduling algorithm. Value type; Sendable.
public struct SchedulingAlgorithmConfiguration: Sendable, Equatable {
    /// Upstream `percentageOfNodesToScore`: nil or 0 = adaptive (50% − nodes/125, at least 5%).
    public var percentageOfNodesToScore: Int?
    public var scoreWeights: ScoreWeights

    public init(percentageOfNodesToScore: Int? = nil, scoreWeights: ScoreWeights = ScoreWeights()) {
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.scoreWeights = scoreWeights
    }
}

/// The kube-scheduler's default profile as a pure function of (pod, snapshot): PreFilter, Filter
/// (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
/// PodTopologySpread, InterPodAffinity) over a rotating window of nodes until enough feasible ones
/// are found, Score, and a random choice among the best. Value type; Sendable. The only state is
/// the rotating start index (upstream `nextStartNodeIndex`), so one instance belongs to one
/// scheduling loop; the random source is passed in.
public struct SchedulingAlgorithm: Sendable {
    public var configuration: SchedulingAlgorithmConfiguration
    /// Where the next cycle starts filtering (advances by the number of nodes examined).
    public private(set) var nextStartNodeIndex = 0

    /// Upstream `minFeasibleNodesToFind` and `minFeasibleNodesPercentageToFind`.
    static let minFeasibleNodesToFind = 100
    static let minFeasibleNodesPercentageToFind = 5

    public init(configuration: SchedulingAlgorithmConfiguration = SchedulingAlgorithmConfiguration()) {
        self.configuration = configuration
    }

    /// Upstream `numFeasibleNodesToFind`: all nodes below 100; otherwise the configured or adaptive
    /// percentage, but never fewer than 100.
    public func numFeasibleNodesToFind(nodeCount: Int) -> Int {
        if nodeCount < Self.minFeasibleNodesToFind { return nodeCount }
        var percentage = configuration.percentageOfNodesToScore ?? 0
        if percentage <= 0 {
            percentage = 50 - nodeCount / 125
            if percentage < Self.minFeasibleNodesPercentageToFind { percentage = Self.minFeasibleNodesPercentageToFind }
        }
        if percentage >= 100 { return nodeCount }
        let count = nodeCount * percentage / 100
        return max(count, Self.minFeasibleNodesToFind)
    }

    /// One scheduling cycle for `pod` against `snapshot`.
    public mutating func schedule(
        _ pod: PodInfo,
        in snapshot: ClusterSnapshot,
        using random: inout some RandomNumberGenerator
    ) -> SchedulingDecision {
        let allNodes = snapshot.nodes
        guard !allNodes.isEmpty else { return .unschedulable(SchedulingFailure(message: FilterReason.noNodesAvailable)) }

        // PreFilter: NodeAffinity's node-name restriction (DaemonSet pods).
        var candidates: [Int]? = nil
        if let names = pod.nodeNameRestriction {
            if names.isEmpty {
                return .unschedulable(preFilterFailure(pod: pod, snapshot: snapshot, message: FilterReason.nodeAffinityConflict))
            }
            candidates = names.sorted().compactMap { snapshot.indexByName[$0] }
        }
        let state = FilterCycleState(pod: pod, snapshot: snapshot)

        // Filter over a rotating window until enough feasible nodes are found.
        let universe = candidates?.count ?? allNodes.count
        let wanted = numFeasibleNodesToFind(nodeCount: universe)
        var feasible: [Int] = []
        feasible.reserveCapacity(min(wanted, universe))
        var failures: [(node: Int, failure: FilterFailure)] = []
        var examined = 0
        if universe > 0 {
            let start = nextStartNodeIndex % universe
            while examined < universe && feasible.count < wanted {
                let position = (start + examined) % universe
                let nodeIndex = candidates?[position] ?? position
                examined += 1
                if let failure = state.filter(allNodes[nodeIndex]) {
                    failures.append((node: nodeIndex, failure: failure))
                } else {
                    feasible.append(nodeIndex)
                }
            }
            nextStartNodeIndex = (start + examined) % universe
        }

        if feasible.isEmpty {
            return .unschedulable(
                filterFailure(pod: pod, snapshot: snapshot, state: state, failures: failures, restricted: candidates != nil)
            )
        }
        if feasible.count == 1 {
            return .scheduled(SchedulingResult(nodeName: allNodes[feasible[0]].name, evaluatedNodes: examined, feasibleNodes: 1))
        }

        // Score and pick one of the best at random (upstream `selectHost`, reservoir sampling).
        let totals = ScorePlugins.totalScores(pod: pod, feasible: feasible, snapshot: snapshot, weights: configuration.scoreWeights)
        var best = 0
        var tied = 1
        for position in 1..<totals.count {
            if totals[position] > totals[best] {
                best = position
                tied = 1
            } else if totals[position] == totals[best] {
                tied += 1
                if Int.random(in: 0..<tied, using: &random) == 0 { best = position }
            }
        }
        return .scheduled(
            SchedulingResult(nodeName: allNodes[feasible[best]].name, evaluatedNodes: examined, feasibleNodes: feasible.count)
        )
    }

    /// Scores of every feasible node for inspection and tests (no selection), by node name.
    public func scores(for pod: PodInfo, in snapshot: ClusterSnapshot) -> [String: Int64] {
        let state = FilterCycleState(pod: pod, snapshot: snapshot)
        let feasible = snapshot.nodes.indices.filter { state.filter(snapshot.nodes[$0]) == nil }
        let totals = ScorePlugins.totalScores(pod: pod, feasible: feasible, snapshot: snapshot, weights: configuration.scoreWeights)
        var result: [String: Int64] = [:]
        for (position, nodeIndex) in feasible.enumerated() { result[snapshot.nodes[nodeIndex].name] = totals[position] }
        return result
    }

    // MARK: Failure diagnosis

    private func preFilterFailure(pod: PodInfo, snapshot: ClusterSnapshot, message: String) -> SchedulingFailure {
        var reasons: [String: [String]] = [:]
        for node in snapshot.nodes { reasons[node.name] = [message] }
        let unresolvable = Dictionary(uniqueKeysWithValues: snapshot.nodes.map { ($0.name, FilterFailure.preFilter(message: message)) })
        return SchedulingFailure(
            numAllNodes: snapshot.nodeCount,
            reasonsByNode: reasons,
            preFilterMessage: message,
            postFilterMessage: PreemptionDiagnosis.message(pod: pod, snapshot: snapshot, failures: unresolvable, state: nil)
        )
    }

    private func filterFailure(
        pod: PodInfo,
        snapshot: ClusterSnapshot,
        state: FilterCycleState,
        failures: [(node: Int, failure: FilterFailure)],
        restricted: Bool
    ) -> SchedulingFailure {
        var byName: [String: FilterFailure] = [:]
        byName.reserveCapacity(snapshot.nodeCount)
        for entry in failures { byName[snapshot.nodes[entry.node].name] = entry.failure }
        if restricted {
            let absent = FilterFailure.notInPreFilterResult(plugins: "NodeAffinity")
            for node in snapshot.nodes where byName[node.name] == nil { byName[node.name] = absent }
        }
        return SchedulingFailure(
            numAllNodes: snapshot.nodeCount,
            reasonsByNode: byName.mapValues(\.reasons),
            preFilterMessage: nil,
            postFilterMessage: PreemptionDiagnosis.message(pod: pod, snapshot: snapshot, failures: byName, state: state)
        )
    }
}
