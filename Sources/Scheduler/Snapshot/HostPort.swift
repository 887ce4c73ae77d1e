public import KubeAPI

/// One host port a pod uses: protocol, host IP (`0.0.0.0` when empty) and port (upstream
/// `HostPortInfo`). Value type; Sendable.
public struct HostPort: Sendable, Hashable {
    public var hostIP: String
    public var `protocol`: String
    public var port: Int32

    public init(hostIP: String = "0.0.0.0", protocol: String = "TCP", port: Int32) {
        self.hostIP = hostIP.isEmpty ? HostPort.wildcardIP : hostIP
        self.protocol = `protocol`.isEmpty ? "TCP" : `protocol`
        self.port = port
    }

    static let wildcardIP = "0.0.0.0"

    /// Two uses conflict on the same protocol and port when either binds every address or both bind the same one.
    func conflicts(with other: HostPort) -> Bool {
        guard port == other.port, self.protocol == other.protocol else { return false }
        return hostIP == other.hostIP || hostIP == HostPort.wildcardIP || other.hostIP == HostPort.wildcardIP
    }

    /// The host ports of a pod's containers (and sidecar init containers); ports without a `hostPort` are skipped.
    static func of(_ spec: PodSpec) -> [HostPort] {
        var result: [HostPort] = []
        func collect(_ ports: [ContainerPort]) {
            for port in ports where port.hostPort > 0 {
                result.append(HostPort(hostIP: port.hostIP, protocol: port.protocol, port: port.hostPort))
            }
        }
        for container in spec.initContainers where container.restartPolicy == "Always" { collect(container.ports) }
        for container in spec.containers { collect(container.ports) }
        return result
    }
}
