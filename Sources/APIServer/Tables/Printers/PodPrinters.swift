import Foundation
import KubeCore

/// Pod and PodTemplate printers (upstream `printPod`, `printPodTemplate`).
enum PodPrinters {
    static let pod = TablePrinter.fields([
        .name,
        PrinterColumns.text("Ready", "Ready containers out of all containers of the pod."),
        PrinterColumns.text("Status", "Summary of the pod's phase and container states."),
        PrinterColumns.text("Restarts", "Container restarts, with the time since the most recent one."),
        .age,
        PrinterColumns.text("IP", "The pod's primary IP address.", priority: 1),
        PrinterColumns.text("Node", "The node the pod is bound to.", priority: 1),
        PrinterColumns.text("Nominated Node", "The node the scheduler nominated after a preemption.", priority: 1),
        PrinterColumns.text(
            "Readiness Gates", "Readiness gates whose condition is True, out of all gates.", priority: 1),
    ]) { pod, object, now in
        let summary = PodSummary(pod, now: now)
        let spec = pod["spec"]
        let status = pod["status"]
        var readinessGates = "<none>"
        let gates = spec["readinessGates"].items
        if !gates.isEmpty {
            let conditions = status["conditions"].items
            let satisfied = gates.filter { gate in
                let type = gate["conditionType"].text
                return conditions.first { $0["type"].text == type }?["status"].text == "True"
            }.count
            readinessGates = "\(satisfied)/\(gates.count)"
        }
        return [
            .string(object.name),
            .string("\(summary.ready)/\(summary.total)"),
            .string(summary.reason),
            .string(summary.restarts),
            .string(Age.of(object, now: now)),
            .string(podIP(status) ?? "<none>"),
            .string(spec["nodeName"].nonEmpty ?? "<none>"),
            .string(status["nominatedNodeName"].nonEmpty ?? "<none>"),
            .string(readinessGates),
        ]
    }

    /// The primary IP: `status.podIP` wins over `status.podIPs`, as in the v1 → internal conversion.
    static func podIP(_ status: TableField) -> String? {
        status["podIP"].nonEmpty ?? status["podIPs"].items.first?["ip"].nonEmpty
    }

    static let podTemplate = TablePrinter.fields([
        .name,
        PrinterColumns.text("Containers", "Names of the containers in the template."),
        PrinterColumns.text("Images", "Images of the containers in the template."),
        PrinterColumns.text("Pod Labels", "Labels of the pods made from the template."),
    ]) { template, object, _ in
        let containers = PrintFormat.containers(template["template", "spec"])
        return [.string(object.name), .string(containers.names), .string(containers.images),
                .string(PrintFormat.labels(template["template", "metadata", "labels"]))]
    }
}

/// The READY, STATUS and RESTARTS cells of a pod, computed as upstream `printPod` does.
///
/// Value type; Sendable.
struct PodSummary: Sendable {
    var ready = 0
    var total = 0
    var reason = ""
    var restarts = "0"

    init(_ pod: TableField, now: Date) {
        let spec = pod["spec"]
        let status = pod["status"]
        let phase = status["phase"].text
        reason = status["reason"].nonEmpty ?? phase
        let conditions = status["conditions"].items
        if conditions.contains(where: { $0["type"].text == "PodScheduled" && $0["reason"].text == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }

        let initContainers = spec["initContainers"].items
        let sidecars = Set(initContainers.filter { $0["restartPolicy"].text == "Always" }.map { $0["name"].text })
        total = spec["containers"].count + initContainers.filter { $0["restartPolicy"].text == "Always" }.count

        var restartCount: Int64 = 0
        var sidecarRestartCount: Int64 = 0
        var lastRestart: Date?
        var lastSidecarRestart: Date?
        var initializing = false
        for (index, container) in status["initContainerStatuses"].items.enumerated() {
            let restartedAt = Self.lastTermination(container)
            restartCount += container["restartCount"].integer
            lastRestart = Self.later(lastRestart, restartedAt)
            let isSidecar = sidecars.contains(container["name"].text)
            if isSidecar {
                sidecarRestartCount += container["restartCount"].integer
                lastSidecarRestart = Self.later(lastSidecarRestart, restartedAt)
            }
            let terminated = container["state", "terminated"]
            let waiting = container["state", "waiting"]
            if terminated.exists && terminated["exitCode"].integer == 0 { continue }
            if isSidecar && container["started"].bool == true {
                if container["ready"].bool == true { ready += 1 }
                continue
            }
            if terminated.exists {
                if let terminatedReason = terminated["reason"].nonEmpty {
                    reason = "Init:" + terminatedReason
                } else if terminated["signal"].integer != 0 {
                    reason = "Init:Signal:\(terminated["signal"].integer)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"].integer)"
                }
            } else if let waitingReason = waiting["reason"].nonEmpty, waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.first { $0["type"].text == "Initialized" }?["status"].text == "True"
        if !initializing || initialized {
            restartCount = sidecarRestartCount
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in status["containerStatuses"].items.reversed() {
                restartCount += container["restartCount"].integer
                lastRestart = Self.later(lastRestart, Self.lastTermination(container))
                let waiting = container["state", "waiting"]
                let terminated = container["state", "terminated"]
                if let waitingReason = waiting["reason"].nonEmpty {
                    reason = waitingReason
                } else if let terminatedReason = terminated["reason"].nonEmpty {
                    reason = terminatedReason
                } else if terminated.exists {
                    if terminated["signal"].integer != 0 {
                        reason = "Signal:\(terminated["signal"].integer)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"].integer)"
                    }
                } else if container["ready"].bool == true && container["state", "running"].exists {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let podReady = conditions.contains { $0["type"].text == "Ready" && $0["status"].text == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if pod["metadata", "deletionTimestamp"].exists {
            if status["reason"].text == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Failed" && phase != "Succeeded" {
                reason = "Terminating"
            }
        }

        restarts = String(restartCount)
        if restartCount != 0, let lastRestart {
            restarts = "\(restartCount) (\(Age.human(now.timeIntervalSince(lastRestart))) ago)"
        }
    }

    private static func lastTermination(_ container: TableField) -> Date? {
        let terminated = container["lastState", "terminated"]
        return terminated.exists ? terminated["finishedAt"].date : nil
    }

    private static func later(_ current: Date?, _ candidate: Date?) -> Date? {
        guard let candidate else { return current }
        guard let current else { return candidate }
        return max(current, candidate)
    }
}
