/// One sysctl, read and written through its /proc/sys file (what `sysctl -w` does, without the process).
///
/// A value type; Sendable. Reads and writes are single small system calls.
struct KernelParameter: Sendable, Hashable {
    /// The sysctl name, e.g. "net.ipv4.ip_forward".
    let name: String
    /// e.g. "/proc/sys/net/ipv4/ip_forward".
    let path: String

    static let ipForward = KernelParameter(name: "net.ipv4.ip_forward", path: "/proc/sys/net/ipv4/ip_forward")
    static let bridgeCallIPTables = KernelParameter(
        name: "net.bridge.bridge-nf-call-iptables", path: "/proc/sys/net/bridge/bridge-nf-call-iptables")

    /// `net.ipv4.conf.<interface>.route_localnet` (lets DNAT to 127.0.0.1 NodePorts reach the bridge).
    static func routeLocalnet(interface: String) -> KernelParameter {
        KernelParameter(
            name: "net.ipv4.conf.\(interface).route_localnet", path: "/proc/sys/net/ipv4/conf/\(interface)/route_localnet")
    }

    /// Whether the running kernel has this parameter.
    var isPresent: Bool { StateFiles.exists(path) }

    func read() throws(NodeNetworkingError) -> String {
        let text: String?
        do {
            text = try StateFiles.readText(path)
        } catch {
            throw .kernelParameter(path: path, reason: "cannot read \(name): \(error)")
        }
        guard let text else { throw .kernelParameter(path: path, reason: "\(name) is not present in this kernel") }
        return text.trimmingSpaces()
    }

    func write(_ value: String) throws(NodeNetworkingError) {
        if let code = StateFiles.overwrite(path, value + "\n") {
            throw .kernelParameter(path: path, reason: "cannot set \(name)=\(value): \(StateFiles.errorText(code))")
        }
    }
}
