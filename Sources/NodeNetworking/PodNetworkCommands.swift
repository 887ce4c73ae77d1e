/// The `ip -batch` scripts and `iptables` rule a pod network runs, as pure functions of its configuration.
///
/// A value type; Sendable; pure (no IO), so the exact commands are unit-tested without root.
struct PodNetworkCommands: Sendable {
    let configuration: PodNetworkConfiguration

    /// The name of the pod's interface inside its namespace.
    static let podInterfaceName = "eth0"

    /// The host end of a sandbox's veth pair: "veth" and 11 hex digits of a hash of the bridge name and the
    /// sandbox id (15 characters, the kernel's limit), stable across restarts.
    func hostInterfaceName(for sandboxID: String) -> String {
        let hash = Self.fnv1a64(Array(configuration.bridgeName.utf8) + [0] + Array(sandboxID.utf8))
        return "veth" + Self.hex(hash >> 20, digits: 11)
    }

    /// A locally administered unicast MAC address derived from the bridge name. A bridge with an explicit address
    /// keeps it; otherwise it takes the lowest address of its ports and changes as pods come and go.
    var bridgeMACAddress: String {
        let hash = Self.fnv1a64(Array(configuration.bridgeName.utf8))
        let bytes = (0..<5).map { UInt8((hash >> (8 * UInt64($0))) & 0xff) }
        return (["02"] + bytes.map { Self.hex(UInt64($0), digits: 2) }).joined(separator: ":")
    }

    /// Creates the bridge (when `create`), gives it the gateway address and brings it up; safe to repeat.
    func bridgeSetUpScript(create: Bool) -> String {
        let bridge = configuration.bridgeName
        var lines: [String] = []
        if create {
            lines.append("link add name \(bridge)\(mtuOption) address \(bridgeMACAddress) type bridge")
        }
        lines.append("addr replace \(configuration.podCIDR.gateway!)/\(configuration.podCIDR.prefixLength) dev \(bridge)")
        lines.append("link set dev \(bridge) up")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Host side of an attach (one `ip -batch`): the namespace, the veth pair with its peer inside the namespace,
    /// the host end on the bridge with hairpin (so a pod reaches itself through a Service address), up.
    func hostSideScript(namespaceName: String, hostInterface: String) -> String {
        [
            "netns add \(namespaceName)",
            "link add name \(hostInterface)\(mtuOption) type veth peer name \(Self.podInterfaceName)\(mtuOption) "
                + "netns \(namespaceName)",
            "link set dev \(hostInterface) master \(configuration.bridgeName)",
            "link set dev \(hostInterface) type bridge_slave hairpin on",
            "link set dev \(hostInterface) up",
        ].joined(separator: "\n") + "\n"
    }

    /// Pod side of an attach (one `ip -n <namespace> -batch`): loopback up, the address, eth0 up, default route.
    func podSideScript(address: IPv4Address) -> String {
        let eth0 = Self.podInterfaceName
        return [
            "link set dev lo up",
            "addr add \(address)/\(configuration.podCIDR.prefixLength) dev \(eth0)",
            "link set dev \(eth0) up",
            "route add default via \(configuration.podCIDR.gateway!) dev \(eth0)",
        ].joined(separator: "\n") + "\n"
    }

    /// Removes what exists of a sandbox's interfaces (run with `ip -force -batch`). The veth is deleted explicitly
    /// because deleting a namespace that a process still holds does not destroy its interfaces, and because the
    /// kernel destroys the interfaces of a deleted namespace only later, asynchronously.
    func removalScript(hostInterface: String?, namespaceName: String?) -> String? {
        var lines: [String] = []
        if let hostInterface { lines.append("link del dev \(hostInterface)") }
        if let namespaceName { lines.append("netns del \(namespaceName)") }
        return lines.isEmpty ? nil : lines.joined(separator: "\n") + "\n"
    }

    /// The FORWARD rule (after `-C FORWARD`, `-I FORWARD` or `-D FORWARD`) that drops pod traffic leaving the node
    /// through anything but the bridge.
    var forwardRule: [String] {
        [
            "-s", configuration.podCIDR.description, "!", "-o", configuration.bridgeName,
            "-m", "comment", "--comment", forwardRuleComment, "-j", "DROP",
        ]
    }

    var forwardRuleComment: String { "swiftlet pod network \(configuration.bridgeName)" }

    private var mtuOption: String {
        configuration.mtu.map { " mtu \($0)" } ?? ""
    }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        let clipped = text.count > digits ? String(text.suffix(digits)) : text
        return String(repeating: "0", count: digits - clipped.count) + clipped
    }
}
