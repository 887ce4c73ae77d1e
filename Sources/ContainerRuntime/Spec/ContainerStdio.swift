/// How a container's main process is connected to the outside: whether its stdin stays open for attach
/// clients (Kubernetes `stdin`), whether that stdin is closed after the first attach session that used it
/// (`stdinOnce`), and whether it runs on a pseudo-terminal (`tty`; stdout and stderr are then one stream).
/// Without `stdin` the process reads /dev/null. The shim owns the pipe or terminal and serves attach
/// clients (`ContainerAttachSession`).
///
/// A value type; Sendable.
public struct ContainerStdio: Sendable, Hashable, Codable {
    public var stdin: Bool
    public var stdinOnce: Bool
    public var tty: Bool

    public init(stdin: Bool = false, stdinOnce: Bool = false, tty: Bool = false) {
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.tty = tty
    }
}
