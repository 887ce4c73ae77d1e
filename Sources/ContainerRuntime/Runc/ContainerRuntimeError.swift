#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import HostSystem

/// A failure of the container runtime, saying what happened and, where it helps, what to do. For runc
/// failures `message` is runc's own error text (e.g. `exec: "nope": executable file not found in $PATH`),
/// which the kubelet shows in the container's waiting reason.
///
/// A value type; Sendable.
public enum ContainerRuntimeError: Error, Sendable, CustomStringConvertible {
    /// A file operation failed.
    case io(String, errno: Int32)
    /// `runc <operation>` failed; `message` is what runc reported.
    case runcFailed(operation: String, containerID: String, message: String)
    /// The container shim failed before the container started, or died.
    case shimFailed(containerID: String, message: String)
    /// No container with this id is known to this runtime.
    case notFound(containerID: String)
    /// A container with this id already exists.
    case alreadyExists(containerID: String)
    /// The id is not usable as a runc id / directory name.
    case invalidID(String)
    /// A host command or system call failed.
    case host(HostSystemError)
    /// The container is not running (it exited or was never started), so nothing can be executed in it.
    case notRunning(containerID: String)
    /// An exec did not finish within its timeout and was killed.
    case execTimedOut(containerID: String, command: [String], seconds: Double)
    /// An encoded runtime file (spec, exit file) could not be written or read.
    case malformedFile(path: String, reason: String)
    /// The container's shim cannot serve an attach session; `reason` says why.
    case attachUnavailable(containerID: String, reason: String)

    public var description: String {
        switch self {
        case .io(let what, let code):
            "cannot \(what): \(String(cString: strerror(code)))"
        case .runcFailed(let operation, let id, let message):
            "runc \(operation) of container \(id) failed: \(message)"
        case .shimFailed(let id, let message):
            "the shim of container \(id) failed: \(message)"
        case .notFound(let id):
            "container \(id) not found"
        case .alreadyExists(let id):
            "container \(id) already exists; remove it first or choose another id"
        case .invalidID(let id):
            "invalid container id \"\(id)\": use 1 to 128 letters, digits, '_', '-' or '.', not starting with '.'"
        case .notRunning(let id):
            "container \(id) is not running"
        case .execTimedOut(let id, let command, let seconds):
            "command \(command) in container \(id) timed out after \(seconds) s"
        case .host(let error):
            error.description
        case .malformedFile(let path, let reason):
            "cannot use \(path): \(reason)"
        case .attachUnavailable(let id, let reason):
            "cannot attach to container \(id): \(reason)"
        }
    }

    /// runc's own error text when runc failed, else the description: for the kubelet's waiting message.
    public var runtimeMessage: String {
        if case .runcFailed(_, _, let message) = self { return message }
        return description
    }
}
