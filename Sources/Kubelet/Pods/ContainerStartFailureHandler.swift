public import Foundation

/// An event a pod worker records about one of its containers (the worker adds the object and field path).
///
/// A value type; Sendable.
public struct ContainerEvent: Sendable, Equatable {
    public var warning: Bool
    public var reason: String
    public var message: String

    public init(warning: Bool, reason: String, message: String) {
        self.warning = warning
        self.reason = reason
        self.message = message
    }

    static func warning(_ reason: String, _ message: String) -> ContainerEvent {
        ContainerEvent(warning: true, reason: reason, message: message)
    }

    static func normal(_ reason: String, _ message: String) -> ContainerEvent {
        ContainerEvent(warning: false, reason: reason, message: message)
    }
}

/// How a failed container start shows in the pod's status and events, the way upstream's kubelet
/// (`startContainer`, the image manager, containerd's CRI and the status manager) shows it:
///
/// - `ErrImagePull`: events `Failed` "Failed to pull image "<image>": <error>" and `Failed` "Error: ErrImagePull";
///   waiting `ErrImagePull` until the next pass, then `ImagePullBackOff` ("Back-off pulling image …", events
///   `BackOff` and `Failed` "Error: ImagePullBackOff") until the pull back-off (10 s doubling to 5 min) ends.
/// - `ErrImageNeverPull` / `InvalidImageName`: the image manager's event (`ErrImageNeverPull` / `InspectFailed`)
///   and `Failed` "Error: <reason>"; the reason stays while the start is retried every ``retryDelay``.
/// - `RunContainerError` (the runtime created the container but its process did not start, e.g. the command
///   is not in the image): event `Failed` "Error: <error>"; the attempt counts as a run that ended with exit
///   code 128, reason `StartError` (containerd's CRI) and the error as message, so the restart policy
///   applies: `Never` leaves it terminated (the pod fails), otherwise the status shows `RunContainerError`
///   until the next pass and then `CrashLoopBackOff` while the restart back-off runs.
/// - anything else (`CreateContainerConfigError`, `CreateContainerError`): event `Failed` "Error: <error>";
///   the reason stays while the start is retried every ``retryDelay``.
///
/// Stateless; pure (`now` is a parameter).
public enum ContainerStartFailureHandler {
    /// How long a start that failed before a container existed waits before the next try (upstream's pod
    /// worker back-off after a failed sync).
    public static let retryDelay: TimeInterval = 10
    /// Exit code and reason of a container whose process could not be started (containerd's CRI, as Docker).
    public static let startErrorExitCode: Int32 = 128
    public static let startErrorReason = "StartError"

    /// The record and events after `failure` of a start of the container of `record` (whose image is `image`).
    public static func recordFailure(_ failure: ContainerStartFailure, image: String, record: ContainerRecord,
                                     restartPolicy: String, now: Date)
        -> (record: ContainerRecord, events: [ContainerEvent])
    {
        var record = record
        var events: [ContainerEvent] = []
        switch failure.reason {
        case "ErrImagePull":
            events.append(.warning("Failed", "Failed to pull image \"\(image)\": \(failure.message)"))
            events.append(.warning("Failed", "Error: ErrImagePull"))
            record.waiting = .init(reason: "ErrImagePull", message: failure.message)
            record.backoffUntil = now.addingTimeInterval(record.pullBackoff.delayAfterFailedPull())
        case "ErrImageNeverPull", "InvalidImageName":
            events.append(.warning(failure.eventReason, failure.message))
            events.append(.warning("Failed", "Error: \(failure.reason)"))
            record.waiting = .init(reason: failure.reason, message: failure.message)
            record.backoffUntil = now.addingTimeInterval(retryDelay)
        case "RunContainerError":
            events.append(.warning("Failed", "Error: \(failure.message)"))
            let exit = ContainerExitRecord(containerID: "", exitCode: startErrorExitCode, reason: startErrorReason,
                                           message: failure.message, startedAt: now, finishedAt: now)
            if let previous = record.current {
                record.previousExit = previous.exit
                record.restartCount += 1
            }
            record.current = .init(containerID: "", imageID: "", startedAt: now, exit: exit)
            record.ready = false
            record.started = false
            record.restartRequested = false
            if PodSyncPlanner.shouldRestart(exit: exit, policy: restartPolicy) {
                let delay = record.backoff.delay(afterRunOf: 0)
                record.backoffUntil = delay > 0 ? now.addingTimeInterval(delay) : nil
                record.waiting = .init(reason: "RunContainerError", message: failure.message)
            } else {
                record.backoffUntil = nil
                record.waiting = nil
            }
        default:
            events.append(.warning("Failed", "Error: \(failure.message)"))
            record.waiting = .init(reason: failure.reason, message: failure.message)
            record.backoffUntil = now.addingTimeInterval(retryDelay)
        }
        return (record, events)
    }

    /// The next pass after a failed start: a failed pull that waits for its back-off becomes
    /// `ImagePullBackOff`; a container that failed to start and waits for its restart back-off shows
    /// `CrashLoopBackOff` (the status composer's, from the exit and the back-off).
    public static func settle(_ record: ContainerRecord, image: String, podLabel: String, now: Date)
        -> (record: ContainerRecord, events: [ContainerEvent])
    {
        guard let waiting = record.waiting, let until = record.backoffUntil, until > now else { return (record, []) }
        var record = record
        switch waiting.reason {
        case "ErrImagePull":
            let message = "Back-off pulling image \"\(image)\""
            record.waiting = .init(reason: "ImagePullBackOff", message: message)
            return (record, [.normal("BackOff", message), .warning("Failed", "Error: ImagePullBackOff")])
        case "RunContainerError" where record.current?.exit != nil:
            record.waiting = nil
            return (record, [.warning("BackOff",
                                      "Back-off restarting failed container \(record.name) in pod \(podLabel)")])
        default:
            return (record, [])
        }
    }
}
