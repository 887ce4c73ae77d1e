#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts processes with `posix_spawnp`: the executable is looked up on PATH, the given descriptors become
/// the child's 0, 1 and 2, and every other descriptor of this process is closed in the child — a long-lived
/// child such as a container shim must not keep the API server's listening socket or another command's
/// pipe open.
///
/// Stateless; safe from any thread. Wait for the child with `ChildExitMonitor.shared.exit(of:)`.
public enum ProcessSpawner {
    /// Descriptors for the child's standard streams; `nil` means /dev/null.
    public struct StandardStreams: Sendable {
        public var input: Int32?
        public var output: Int32?
        public var error: Int32?

        public init(input: Int32? = nil, output: Int32? = nil, error: Int32? = nil) {
            self.input = input
            self.output = output
            self.error = error
        }
    }

    /// Spawns `executable` with `arguments` (argv[1...]). `environment` is a list of `KEY=VALUE`; `nil`
    /// inherits this process's environment.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String]? = nil,
        streams: StandardStreams = StandardStreams(), newProcessGroup: Bool = false
    ) throws(HostSystemError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw .systemCall("open(/dev/null)", errno: errno) }
        defer { close(devNull) }
        for (target, source) in [(Int32(0), streams.input), (1, streams.output), (2, streams.error)] {
            posix_spawn_file_actions_adddup2(&actions, source ?? devNull, target)
        }
        if let addCloseFrom = LibcFunctions.addCloseFrom { _ = addCloseFrom(&actions, 3) }

        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result: Int32
        if let environment {
            let envp = environment.map { strdup($0) } + [nil]
            defer { for pointer in envp { free(pointer) } }
            result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        } else {
            result = posix_spawnp(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard result == 0 else { throw .spawnFailed(executable: executable, errno: result) }
        return pid
    }
}
