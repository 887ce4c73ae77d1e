public import Foundation
public import KubeAPI

/// One step a pod worker takes for its pod's containers.
public enum PodSyncAction: Sendable, Equatable {
    case startContainer(String)
    /// Stop the running instance (a failed liveness probe); the planner restarts it on a later pass.
    case killContainer(String)
}

/// What to do now and when to look again.
///
/// A value type; Sendable.
public struct PodSyncPlan: Sendable, Equatable {
    public var actions: [PodSyncAction] = []
    /// The earliest back-off expiry that blocks a start, if any.
    public var wakeAt: Date?

    public init(actions: [PodSyncAction] = [], wakeAt: Date? = nil) {
        self.actions = actions
        self.wakeAt = wakeAt
    }
}

/// Decides which containers of a pod to start or kill, like upstream `computePodActions`: init containers
/// one at a time in order, each to success before the next and before any app container; app containers
/// together; restarts per `restartPolicy` and back-off.
///
/// Stateless; pure (`now` is a parameter).
public enum PodSyncPlanner {
    public static func plan(spec: PodSpec, records: [String: ContainerRecord], now: Date) -> PodSyncPlan {
        var plan = PodSyncPlan()
        for record in records.values where record.restartRequested && record.isRunning {
            plan.actions.append(.killContainer(record.name))
        }
        let policy = spec.restartPolicy.isEmpty ? "Always" : spec.restartPolicy

        for container in spec.initContainers {
            let record = records[container.name] ?? ContainerRecord(name: container.name, isInit: true)
            if record.isRunning { return plan }
            if let exit = record.lastExit, exit.succeeded { continue }
            if record.lastExit != nil, policy == "Never" { return plan }
            consider(record, at: now, into: &plan)
            return plan
        }
        for container in spec.containers {
            let record = records[container.name] ?? ContainerRecord(name: container.name, isInit: false)
            if record.isRunning { continue }
            if let exit = record.lastExit, !shouldRestart(exit: exit, policy: policy) { continue }
            consider(record, at: now, into: &plan)
        }
        return plan
    }

    /// Whether a container that ended like `exit` runs again under `policy`.
    public static func shouldRestart(exit: ContainerExitRecord, policy: String) -> Bool {
        switch policy {
        case "Never": false
        case "OnFailure": !exit.succeeded
        default: true
        }
    }

    /// Whether every init container has succeeded.
    public static func initialized(spec: PodSpec, records: [String: ContainerRecord]) -> Bool {
        spec.initContainers.allSatisfy { records[$0.name]?.lastExit?.succeeded == true && records[$0.name]?.isRunning == false }
    }

    private static func consider(_ record: ContainerRecord, at now: Date, into plan: inout PodSyncPlan) {
        if let until = record.backoffUntil, until > now {
            plan.wakeAt = min(plan.wakeAt ?? until, until)
            return
        }
        plan.actions.append(.startContainer(record.name))
    }
}
