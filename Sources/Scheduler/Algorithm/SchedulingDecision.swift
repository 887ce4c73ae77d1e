/// The outcome of one scheduling cycle for one pod. Value type; Sendable.
public enum SchedulingDecision: Sendable, Equatable {
    case scheduled(SchedulingResult)
    case unschedulable(SchedulingFailure)

    /// The selected node, if any.
    public var nodeName: String? {
        if case .scheduled(let result) = self { return result.nodeName }
        return nil
    }

    /// The failure, if the pod did not fit anywhere.
    public var failure: SchedulingFailure? {
        if case .unschedulable(let failure) = self { return failure }
        return nil
    }
}

/// A successful placement (upstream `ScheduleResult`). Value type; Sendable.
public struct SchedulingResult: Sendable, Equatable {
    public let nodeName: String
    /// Nodes the filters ran on in this cycle.
    public let evaluatedNodes: Int
    /// Nodes that passed every filter.
    public let feasibleNodes: Int

    public init(nodeName: String, evaluatedNodes: Int, feasibleNodes: Int) {
        self.nodeName = nodeName
        self.evaluatedNodes = evaluatedNodes
        self.feasibleNodes = feasibleNodes
    }
}

/// Why a pod fits no node (upstream `FitError` + `Diagnosis`), with the FailedScheduling message
/// worded exactly as upstream's `FitError.Error()`. Value type; Sendable.
public struct SchedulingFailure: Sendable, Equatable {
    /// The number of nodes in the snapshot.
    public let numAllNodes: Int
    /// Per node, the reasons the first failing filter gave.
    public let reasonsByNode: [String: [String]]
    /// Set when a PreFilter plugin rejected the pod outright (then every node has this reason).
    public let preFilterMessage: String?
    /// What preemption (PostFilter) reported, e.g. `preemption: 0/3 nodes are available: ...`; nil
    /// when preemption could make room (Swiftlet does not preempt yet) or there are no nodes.
    public let postFilterMessage: String?
    /// The full message for the FailedScheduling event and the PodScheduled condition.
    public let message: String

    public init(numAllNodes: Int, reasonsByNode: [String: [String]], preFilterMessage: String?, postFilterMessage: String?) {
        self.numAllNodes = numAllNodes
        self.reasonsByNode = reasonsByNode
        self.preFilterMessage = preFilterMessage
        self.postFilterMessage = postFilterMessage
        self.message = SchedulingFailure.fitErrorMessage(
            numAllNodes: numAllNodes,
            reasonsByNode: reasonsByNode,
            preFilterMessage: preFilterMessage,
            postFilterMessage: postFilterMessage
        )
    }

    /// A failure with a fixed message (no nodes at all).
    init(message: String) {
        numAllNodes = 0
        reasonsByNode = [:]
        preFilterMessage = nil
        postFilterMessage = nil
        self.message = message
    }

    /// Upstream `FitError.Error()`: `0/N nodes are available:` + either the PreFilter message or the
    /// sorted histogram `count reason` of the per-node reasons, each part ending in `.`, then the
    /// PostFilter message.
    public static func fitErrorMessage(
        numAllNodes: Int,
        reasonsByNode: [String: [String]],
        preFilterMessage: String?,
        postFilterMessage: String?
    ) -> String {
        var message = "0/\(numAllNodes) nodes are available:"
        if let preFilterMessage, !preFilterMessage.isEmpty {
            message += " \(preFilterMessage)."
        } else {
            let histogram = reasonHistogram(reasonsByNode.values)
            if !histogram.isEmpty { message += " " + histogram.joined(separator: ", ") + "." }
        }
        if let postFilterMessage, !postFilterMessage.isEmpty { message += " " + postFilterMessage }
        return message
    }

    /// `"<count> <reason>"` per distinct reason, sorted as Go's `sort.Strings` sorts (bytewise).
    static func reasonHistogram(_ reasonLists: some Sequence<[String]>) -> [String] {
        var counts: [String: Int] = [:]
        for reasons in reasonLists {
            for reason in reasons { counts[reason, default: 0] += 1 }
        }
        return counts.map { "\($0.value) \($0.key)" }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
