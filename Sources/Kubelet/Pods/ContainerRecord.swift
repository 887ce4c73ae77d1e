public import Foundation

/// What a pod worker knows about one container of its pod: the instance running now (if any), how the
/// last one ended, why it is waiting, and its restart bookkeeping.
///
/// A value type; Sendable. Owned by one `PodWorker`.
public struct ContainerRecord: Sendable, Equatable {
    /// A started instance of the container.
    public struct Instance: Sendable, Equatable {
        public var containerID: String
        public var imageID: String
        public var startedAt: Date
        /// Set once the instance has exited.
        public var exit: ContainerExitRecord?

        public init(containerID: String, imageID: String, startedAt: Date, exit: ContainerExitRecord? = nil) {
            self.containerID = containerID
            self.imageID = imageID
            self.startedAt = startedAt
            self.exit = exit
        }

        public var isRunning: Bool { exit == nil }
    }

    /// Why a container that is not running has not been started (upstream waiting reasons).
    public struct Waiting: Sendable, Equatable {
        public var reason: String
        public var message: String

        public init(reason: String, message: String = "") {
            self.reason = reason
            self.message = message
        }
    }

    public let name: String
    public let isInit: Bool
    public var current: Instance?
    /// The instance before `current` (for `lastState`), when `current` is a restart.
    public var previousExit: ContainerExitRecord?
    public var restartCount: Int32 = 0
    public var waiting: Waiting?
    /// No restart before this time (CrashLoopBackOff / ImagePullBackOff).
    public var backoffUntil: Date?
    public var backoff = RestartBackoff()
    /// Back-off between failed pulls of the container's image (ImagePullBackOff).
    public var pullBackoff = RestartBackoff()
    public var ready = false
    public var started = false
    /// The liveness probe asked for a restart of `current`.
    public var restartRequested = false

    public init(name: String, isInit: Bool) {
        self.name = name
        self.isInit = isInit
    }

    /// The most recent exit: the current instance's if it exited, else the previous one's.
    public var lastExit: ContainerExitRecord? { current?.exit ?? previousExit }

    public var isRunning: Bool { current?.isRunning == true }
}
