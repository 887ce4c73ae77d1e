public import Foundation

/// How one run of a container ended, as the kubelet reports it in `state.terminated` / `lastState.terminated`.
///
/// A value type; Sendable.
public struct ContainerExitRecord: Sendable, Equatable {
    public var containerID: String
    public var exitCode: Int32
    public var signal: Int32
    public var oomKilled: Bool
    /// `Completed`, `Error`, `OOMKilled`, or a start failure's reason (`StartError`).
    public var reason: String
    public var message: String
    public var startedAt: Date
    public var finishedAt: Date

    public init(containerID: String, exitCode: Int32, signal: Int32 = 0, oomKilled: Bool = false,
                reason: String? = nil, message: String = "", startedAt: Date, finishedAt: Date) {
        self.containerID = containerID
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
        self.reason = reason ?? (oomKilled ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error")
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public var succeeded: Bool { exitCode == 0 }
}
