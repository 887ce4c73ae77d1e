/// What the pod's sandbox provides to its status: addresses, once the sandbox exists.
///
/// A value type; Sendable.
public struct PodSandboxState: Sendable, Equatable {
    public var ready: Bool
    public var podIP: String
    public var hostIP: String

    public init(ready: Bool, podIP: String, hostIP: String) {
        self.ready = ready
        self.podIP = podIP
        self.hostIP = hostIP
    }
}
