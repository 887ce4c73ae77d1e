public import Foundation

/// The node side of `pods/log`, `pods/exec` and `pods/attach`: what the API server asks of the kubelet once it
/// has checked the request (pod exists, container valid, pod scheduled, caller authorized). Implemented outside
/// the API server (ClusterAssembly, over the kubelet and its container runtime) and registered with
/// `APIHandler.podStreaming.set(_:)` (also reachable as `APIServerService.handler.podStreaming`) or the
/// `podStreaming:` initializer parameter of `APIServerService` / `APIHandler`.
///
/// Implementations must be Sendable and safe to call concurrently (one call per client request). Throw a
/// `PodStreamingError` to answer with the matching upstream Status; any other error becomes a 500.
public protocol PodStreamingBackend: Sendable {
    /// The container's log, as raw bytes (CRI log lines already decoded to their payload, with an RFC 3339
    /// timestamp prefix when `options.timestamps`). The stream ends at the end of the log (or, with `follow`,
    /// when the container stops and its log is drained); the API server cancels the consuming task when the
    /// client goes away, and ends the stream early once `limitBytes` have been sent.
    func logs(_ target: PodStreamTarget, options: PodLogStreamOptions) async throws
        -> AsyncThrowingStream<[UInt8], any Error>

    /// Runs `command` in the container and pumps the streams through `io` until the command exits; returns
    /// its exit code. Throw before writing anything when the command cannot start (the client sees the
    /// error as a Status on the error channel).
    func exec(_ target: PodStreamTarget, command: [String], streams: ContainerStreamOptions, io: ContainerStreamIO)
        async throws -> ContainerStreamExit

    /// Attaches to the container's main process (its stdin when the container was created with `stdin: true`,
    /// its stdout/stderr as they are produced) until the process exits or the client detaches (`io.clientGone()`
    /// becomes true). Returns success (exit code 0) as upstream's CRI attach does: clients read the container's
    /// exit code from the pod status.
    func attach(_ target: PodStreamTarget, streams: ContainerStreamOptions, io: ContainerStreamIO)
        async throws -> ContainerStreamExit
}

/// Which container of which pod a streaming request addresses; validated by the API server against the pod.
///
/// Value type; Sendable.
public struct PodStreamTarget: Sendable, Equatable {
    public var namespace: String
    public var podName: String
    public var podUID: String
    public var nodeName: String
    public var containerName: String

    public init(namespace: String, podName: String, podUID: String, nodeName: String, containerName: String) {
        self.namespace = namespace
        self.podName = podName
        self.podUID = podUID
        self.nodeName = nodeName
        self.containerName = containerName
    }
}

/// The `pods/log` query options (upstream `PodLogOptions`), validated by the API server.
///
/// Value type; Sendable.
public struct PodLogStreamOptions: Sendable, Equatable {
    /// Keep streaming new output until the container stops (`follow=true`).
    public var follow: Bool
    /// The log of the previous, terminated instance of the container (`previous=true`).
    public var previous: Bool
    /// Only the last N lines (`tailLines`, ≥ 0).
    public var tailLines: Int64?
    /// Only lines newer than this many seconds (`sinceSeconds`, ≥ 1); exclusive with `sinceTime`.
    public var sinceSeconds: Int64?
    /// Only lines at or after this time (`sinceTime`, RFC 3339); exclusive with `sinceSeconds`.
    public var sinceTime: Date?
    /// Prefix each line with its RFC 3339 nanosecond timestamp and a space (`timestamps=true`).
    public var timestamps: Bool
    /// Stop after this many bytes (`limitBytes`, ≥ 1); the API server also cuts the stream there.
    public var limitBytes: Int64?

    public init(follow: Bool = false, previous: Bool = false, tailLines: Int64? = nil, sinceSeconds: Int64? = nil,
                sinceTime: Date? = nil, timestamps: Bool = false, limitBytes: Int64? = nil) {
        self.follow = follow
        self.previous = previous
        self.tailLines = tailLines
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.timestamps = timestamps
        self.limitBytes = limitBytes
    }
}

/// Which standard streams an exec or attach client asked for (upstream `PodExecOptions` / `PodAttachOptions`).
///
/// Value type; Sendable.
public struct ContainerStreamOptions: Sendable, Equatable {
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    /// A terminal was requested: stderr is merged into stdout, and resize events arrive on `io.resize`.
    public var tty: Bool

    public init(stdin: Bool = false, stdout: Bool = true, stderr: Bool = true, tty: Bool = false) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }
}

/// A terminal size sent by the client (`kubectl exec -t` on a window change).
///
/// Value type; Sendable.
public struct TerminalSize: Sendable, Equatable {
    public var width: UInt16
    public var height: UInt16

    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }
}

/// The client's side of an exec or attach session, handed to the backend.
///
/// Sendable. `stdin` yields the client's input and finishes at stdin EOF (or when the client goes away);
/// `resize` yields terminal sizes (only with a tty); `stdout` / `stderr` deliver output to the client and
/// return once it is queued (they apply back-pressure, and are no-ops for streams the client did not request).
public struct ContainerStreamIO: Sendable {
    public var stdin: AsyncStream<[UInt8]>
    public var resize: AsyncStream<TerminalSize>
    public var stdout: @Sendable ([UInt8]) async -> Void
    public var stderr: @Sendable ([UInt8]) async -> Void
    /// True once the client has gone away (connection closed): the backend should stop and return.
    public var clientGone: @Sendable () -> Bool

    public init(stdin: AsyncStream<[UInt8]>, resize: AsyncStream<TerminalSize>,
                stdout: @escaping @Sendable ([UInt8]) async -> Void, stderr: @escaping @Sendable ([UInt8]) async -> Void,
                clientGone: @escaping @Sendable () -> Bool = { false }) {
        self.stdin = stdin
        self.resize = resize
        self.stdout = stdout
        self.stderr = stderr
        self.clientGone = clientGone
    }
}

/// How an exec'd command (or an attached process) ended.
///
/// Value type; Sendable.
public struct ContainerStreamExit: Sendable, Equatable {
    /// The exit code (128 + n for a process killed by signal n, as runc reports it).
    public var exitCode: Int32

    public init(exitCode: Int32) {
        self.exitCode = exitCode
    }
}

/// Errors a `PodStreamingBackend` throws; the API server turns each into the Status upstream answers with.
///
/// Value type; Sendable.
public enum PodStreamingError: Error, Sendable, Equatable {
    /// The node has no such container (not created yet, or removed): 400 BadRequest
    /// `container "c" in pod "p" is not available`.
    case containerNotFound
    /// The container exists but cannot serve the request; `reason` is the kubelet's wording after
    /// `container "c" in pod "p" is `, e.g. `waiting to start: ContainerCreating` or
    /// `terminated` (400 BadRequest).
    case containerNotRunning(reason: String)
    /// `previous=true` but there is no terminated instance: 400 BadRequest
    /// `previous terminated container "c" in pod "p" not found`.
    case previousNotFound
    /// The node's kubelet cannot be reached: 500 InternalError, like upstream's dial failure.
    case nodeUnavailable(message: String)
    /// The command could not be started (no such executable, ...): reported as upstream's
    /// `Internal error occurred: error executing command in container: <message>`.
    case commandFailed(message: String)
    /// Any other refusal, answered verbatim as 400 BadRequest.
    case badRequest(message: String)
}
