/// What happens to a container's stdin and to an attach session when a client's input ends or the client
/// goes away, as upstream's CRI runtimes do it: without `stdinOnce` the end of a client's stdin ends its
/// session (the container's stdin stays open for the next client); with `stdinOnce` the container's stdin
/// is closed (end of file; ^D on a terminal) and the session goes on until the container's output ends.
///
/// Stateless; pure.
public enum AttachStdinPolicy {
    /// The decision for one event.
    public struct Decision: Sendable, Hashable {
        public var closeContainerStdin: Bool
        public var endSession: Bool

        public init(closeContainerStdin: Bool = false, endSession: Bool = false) {
            self.closeContainerStdin = closeContainerStdin
            self.endSession = endSession
        }
    }

    /// The client sent `closeStdin`. `clientSendsStdin`: it opened the session with stdin;
    /// `containerStdinOpen`: the container's stdin has not been closed yet.
    public static func clientStdinEnded(stdio: ContainerStdio, clientSendsStdin: Bool, containerStdinOpen: Bool)
        -> Decision
    {
        guard stdio.stdin, clientSendsStdin else { return Decision() }
        if stdio.stdinOnce { return Decision(closeContainerStdin: containerStdinOpen) }
        return Decision(endSession: true)
    }

    /// The client closed the connection (or was dropped) while its stdin was still open.
    public static func clientLeft(stdio: ContainerStdio, clientSendsStdin: Bool, clientStdinEnded: Bool,
                                  containerStdinOpen: Bool) -> Decision
    {
        Decision(closeContainerStdin: stdio.stdin && stdio.stdinOnce && clientSendsStdin && !clientStdinEnded
                     && containerStdinOpen)
    }
}
