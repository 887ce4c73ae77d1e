import Foundation

/// Plugin weights of upstream's default profile (v1 `getDefaultPlugins`). Value type; Sendable.
public struct ScoreWeights: Sendable, Equatable {
    public var taintToleration: Int64 = 3
    public var nodeAffinity: Int64 = 2
    public var nodeResourcesFit: Int64 = 1
    public var podTopologySpread: Int64 = 2
    public var interPodAffinity: Int64 = 2
    public var balancedAllocation: Int64 = 1

    public init() {}
}

/// The score plugins of the default profile over the feasible nodes of one cycle: each plugin's
/// raw scores, its NormalizeScore, then the weighted sum (upstream `RunScorePlugins`). Scores are
/// 0...100 per plugin (`MaxNodeScore`). Pure; Sendable.
enum ScorePlugins {
    static let maxNodeScore: Int64 = 100

    /// Weighted total per feasible node, in the order of `feasible`.
    static func totalScores(pod: PodInfo, feasible: [Int], snapshot: ClusterSnapshot, weights: ScoreWeights) -> [Int64] {
        let nodes = snapshot.nodes
        var totals = [Int64](repeating: 0, count: feasible.count)
        func accumulate(_ scores: [Int64], weight: Int64) {
            for index in scores.indices { totals[index] += scores[index] * weight }
        }
        accumulate(taintToleration(pod: pod, feasible: feasible, nodes: nodes), weight: weights.taintToleration)
        if let scores = nodeAffinity(pod: pod, feasible: feasible, nodes: nodes) { accumulate(scores, weight: weights.nodeAffinity) }
        accumulate(leastAllocated(pod: pod, feasible: feasible, nodes: nodes), weight: weights.nodeResourcesFit)
        if let scores = PodTopologySpreadScoring.scores(pod: pod, feasible: feasible, snapshot: snapshot) {
            accumulate(scores, weight: weights.podTopologySpread)
        }
        if let scores = InterPodAffinityScoring.scores(pod: pod, feasible: feasible, snapshot: snapshot) {
            accumulate(scores, weight: weights.interPodAffinity)
        }
        if let scores = balancedAllocation(pod: pod, feasible: feasible, nodes: nodes) {
            accumulate(scores, weight: weights.balancedAllocation)
        }
        return totals
    }

    /// Upstream `DefaultNormalizeScore`: scale to 0...100 by the maximum; `reverse` flips.
    static func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
        let maximum = scores.max() ?? 0
        if maximum == 0 {
            if reverse { for index in scores.indices { scores[index] = maxNodeScore } }
            return
        }
        for index in scores.indices {
            let scaled = maxNodeScore * scores[index] / maximum
            scores[index] = reverse ? maxNodeScore - scaled : scaled
        }
    }

    /// TaintToleration: the number of PreferNoSchedule taints the pod does not tolerate, reversed.
    static func taintToleration(pod: PodInfo, feasible: [Int], nodes: [NodeInfo]) -> [Int64] {
        let tolerations = pod.tolerations.filter { $0.effect == .any || $0.effect == .preferNoSchedule }
        var scores = [Int64](repeating: 0, count: feasible.count)
        for (position, nodeIndex) in feasible.enumerated() {
            let taints = nodes[nodeIndex].taints
            if taints.isEmpty { continue }
            var intolerable: Int64 = 0
            for taint in taints where taint.effect == .preferNoSchedule && !tolerations.tolerate(taint) { intolerable += 1 }
            scores[position] = intolerable
        }
        defaultNormalize(&scores, reverse: true)
        return scores
    }

    /// NodeAffinity: the summed weights of the matching preferred terms, normalised; nil (skipped)
    /// when the pod has no preferred terms.
    static func nodeAffinity(pod: PodInfo, feasible: [Int], nodes: [NodeInfo]) -> [Int64]? {
        guard !pod.preferredNodeAffinity.terms.isEmpty else { return nil }
        var scores = feasible.map { pod.preferredNodeAffinity.score(nodeName: nodes[$0].name, labels: nodes[$0].labels) }
        defaultNormalize(&scores, reverse: false)
        return scores
    }

    /// NodeResourcesFit LeastAllocated over cpu and memory (weight 1 each), with the non-zero
    /// defaults for containers that request nothing.
    static func leastAllocated(pod: PodInfo, feasible: [Int], nodes: [NodeInfo]) -> [Int64] {
        let podCPU = pod.nonZeroRequests.milliCPU
        let podMemory = pod.nonZeroRequests.memory
        return feasible.map { nodeIndex in
            let capacity = nodes[nodeIndex].capacity
            var total: Int64 = 0
            var weightSum: Int64 = 0
            if capacity.allocatableCPU != 0 {
                total += leastRequested(requested: capacity.nonZeroRequestedCPU + podCPU, capacity: capacity.allocatableCPU)
                weightSum += 1
            }
            if capacity.allocatableMemory != 0 {
                total += leastRequested(
                    requested: capacity.nonZeroRequestedMemory + podMemory, capacity: capacity.allocatableMemory)
                weightSum += 1
            }
            return weightSum == 0 ? 0 : total / weightSum
        }
    }

    static func leastRequested(requested: Int64, capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }

    /// NodeResourcesBalancedAllocation over cpu and memory with the actual requests: 100 × (1 − the
    /// spread of the two utilisation fractions). Skipped for pods that request neither (as upstream
    /// does since it stopped piling best-effort pods onto one node).
    static func balancedAllocation(pod: PodInfo, feasible: [Int], nodes: [NodeInfo]) -> [Int64]? {
        let podCPU = pod.requests.milliCPU
        let podMemory = pod.requests.memory
        guard podCPU != 0 || podMemory != 0 else { return nil }
        return feasible.map { nodeIndex in
            let capacity = nodes[nodeIndex].capacity
            var fractions: (Double, Double) = (0, 0)
            var count = 0
            func add(_ requested: Int64, _ allocatable: Int64) {
                guard allocatable != 0 else { return }
                let fraction = min(Double(requested) / Double(allocatable), 1)
                if count == 0 { fractions.0 = fraction } else { fractions.1 = fraction }
                count += 1
            }
            add(capacity.requestedCPU + podCPU, capacity.allocatableCPU)
            add(capacity.requestedMemory + podMemory, capacity.allocatableMemory)
            let deviation = count == 2 ? abs((fractions.0 - fractions.1) / 2) : 0
            return Int64((1 - deviation) * Double(maxNodeScore))
        }
    }
}
