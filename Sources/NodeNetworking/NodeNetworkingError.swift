public import HostSystem

/// Why a pod network operation failed, with what to do about it.
///
/// A value type; Sendable.
public enum NodeNetworkingError: Error, Sendable, CustomStringConvertible {
    /// The configuration cannot work (bad bridge name, a pod CIDR too small for a gateway and one pod, ...).
    case invalidConfiguration(String)
    /// The sandbox id cannot name a network namespace or a state file.
    case invalidSandboxID(String)
    /// Every pod address of the range is in use.
    case addressRangeExhausted(range: IPv4CIDR, inUse: Int)
    /// A state file or directory could not be read or written.
    case stateFile(path: String, reason: String)
    /// A network interface with the bridge's name exists but is not a bridge.
    case notABridge(String)
    /// `ip`, `iptables` or a kernel parameter write failed.
    case hostCommand(HostSystemError)
    /// An `ip -batch` script failed; `failedCommand` is the script line `ip` reported, when it named one.
    case ipBatchFailed(arguments: [String], script: String, failedCommand: String?, status: ExitStatus, stderr: String)
    /// A kernel parameter (a /proc/sys file) could not be read or written.
    case kernelParameter(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            "invalid pod network configuration: \(reason)"
        case .invalidSandboxID(let id):
            "sandbox id \"\(id)\" cannot name a network namespace: use 1 to 200 characters from "
                + "A-Z a-z 0-9 . _ - that do not start with a dot"
        case .addressRangeExhausted(let range, let inUse):
            "no free pod IP address left in \(range) (\(inUse) in use); detach sandboxes that are gone "
                + "or give the node a larger podCIDR"
        case .stateFile(let path, let reason):
            "pod network state file \(path): \(reason); check that the state directory is writable"
        case .notABridge(let name):
            "network interface \(name) exists but is not a bridge; delete it (ip link del \(name)) "
                + "or choose another bridge name"
        case .hostCommand(let error):
            "pod network command failed: \(error)"
        case .ipBatchFailed(let arguments, let script, let failedCommand, let status, let stderr):
            "`ip \(arguments.joined(separator: " "))` failed with \(status) "
                + (failedCommand.map { "at \"\($0)\"" }
                    ?? "running \"\(script.split(separator: "\n").joined(separator: "; "))\"")
                + ": \(stderr.split(separator: "\n").filter { !$0.hasPrefix("Command failed") }.joined(separator: "; "))"
        case .kernelParameter(let path, let reason):
            "kernel parameter \(path): \(reason); run as root on a kernel with IPv4 forwarding support"
        }
    }
}
