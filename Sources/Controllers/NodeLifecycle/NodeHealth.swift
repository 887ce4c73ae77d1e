public import Foundation
public import KubeAPI
import KubeCore

/// Decides whether a node is still heard from and which condition taints it should carry (upstream node
/// lifecycle controller `tryUpdateNodeHealth` and `TaintNodesByCondition`). Pure: every input is a parameter.
///
/// Stateless namespace.
public enum NodeHealth {
    public static let unreachableTaintKey = "node.kubernetes.io/unreachable"
    public static let notReadyTaintKey = "node.kubernetes.io/not-ready"
    static let conditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// What the controller should make of one node.
    public struct Decision: Sendable, Equatable {
        /// The node's conditions to write, or nil when they are right as they are.
        public var conditions: [NodeCondition]?
        /// The node's taints to write, or nil when they are right as they are.
        public var taints: [Taint]?
        /// The Ready condition's status after the decision (`True`, `False`, `Unknown`).
        public var readyStatus: String
        /// When to look again if nothing else changes.
        public var recheckAfter: TimeInterval
    }

    /// The last time the node's kubelet was heard from: its Lease's renew time or its Ready heartbeat.
    public static func lastHeartbeat(node: Node, lease: Lease?) -> Date? {
        let renew = lease?.spec.renewTime.map { Date(timeIntervalSince1970: Double($0.microsecondsSince1970) / 1e6) }
        let ready = node.status.conditions.first { $0.type == "Ready" }?.lastHeartbeatTime?.date
        switch (renew, ready) {
        case (let renew?, let ready?): return max(renew, ready)
        case (let renew?, nil): return renew
        case (nil, let ready?): return ready
        case (nil, nil): return node.metadata.creationTimestamp?.date
        }
    }

    public static func evaluate(node: Node, lease: Lease?, now: Date, gracePeriod: TimeInterval) -> Decision {
        let heartbeat = lastHeartbeat(node: node, lease: lease) ?? now
        let silence = now.timeIntervalSince(heartbeat)
        var conditions: [NodeCondition]?
        if silence > gracePeriod {
            var updated = node.status.conditions
            var changed = false
            let time = RFC3339Time(now)
            for type in conditionTypes {
                if let index = updated.firstIndex(where: { $0.type == type }) {
                    guard updated[index].status != "Unknown" else { continue }
                    updated[index].status = "Unknown"
                    updated[index].reason = "NodeStatusUnknown"
                    updated[index].message = "Kubelet stopped posting node status."
                    updated[index].lastTransitionTime = time
                } else {
                    updated.append(NodeCondition(type: type, status: "Unknown", lastHeartbeatTime: node.metadata.creationTimestamp,
                                                 lastTransitionTime: time, reason: "NodeStatusNeverUpdated",
                                                 message: "Kubelet never posted node status."))
                }
                changed = true
            }
            if changed { conditions = updated }
        }
        let ready = (conditions ?? node.status.conditions).first { $0.type == "Ready" }?.status ?? "Unknown"
        let taints = desiredTaints(current: node.spec.taints, readyStatus: ready, now: now)
        let recheck = silence > gracePeriod ? gracePeriod : max(1, gracePeriod - silence + 1)
        return Decision(conditions: conditions, taints: taints == node.spec.taints ? nil : taints, readyStatus: ready,
                        recheckAfter: recheck)
    }

    /// `current` with the condition taints set for `readyStatus`: `unreachable` (Unknown) or `not-ready`
    /// (False), each as NoSchedule and NoExecute; none when Ready. Existing taints keep their `timeAdded`.
    public static func desiredTaints(current: [Taint], readyStatus: String, now: Date) -> [Taint] {
        let managed: Set<String> = [unreachableTaintKey, notReadyTaintKey]
        var result = current.filter { !managed.contains($0.key) }
        let key: String? = switch readyStatus {
        case "Unknown": unreachableTaintKey
        case "False": notReadyTaintKey
        default: nil
        }
        if let key {
            for effect in ["NoSchedule", "NoExecute"] {
                if let existing = current.first(where: { $0.key == key && $0.effect == effect }) {
                    result.append(existing)
                } else {
                    result.append(Taint(key: key, value: "", effect: effect,
                                        timeAdded: effect == "NoExecute" ? RFC3339Time(now) : nil))
                }
            }
        }
        return result
    }
}
