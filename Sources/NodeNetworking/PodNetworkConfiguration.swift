/// How a node wires its pods: one Linux bridge holding the gateway address of the node's pod CIDR, one network
/// namespace per pod sandbox, host-local address management under `stateDirectory`.
///
/// A value type; Sendable.
public struct PodNetworkConfiguration: Sendable, Hashable {
    /// The bridge every pod's veth is attached to; at most 15 characters (A-Z a-z 0-9 _ -).
    public var bridgeName: String
    /// The node's pod CIDR (`Node.spec.podCIDR`); host 1 becomes the bridge address and the pods' default gateway.
    public var podCIDR: IPv4CIDR
    /// Where address reservations, attachment records and the saved kernel parameters live
    /// (e.g. `<data-dir>/network`); created when missing.
    public var stateDirectory: String
    /// Network namespaces are named `<namespacePrefix><sandboxID>`; must not be empty.
    public var namespacePrefix: String
    /// The MTU of the bridge and the veth pairs; nil keeps the kernel default (1500).
    public var mtu: Int?

    public init(
        bridgeName: String = "swiftlet0", podCIDR: IPv4CIDR, stateDirectory: String,
        namespacePrefix: String = "swiftlet-", mtu: Int? = nil
    ) {
        self.bridgeName = bridgeName
        self.podCIDR = podCIDR
        self.stateDirectory = stateDirectory
        self.namespacePrefix = namespacePrefix
        self.mtu = mtu
    }

    /// Throws `invalidConfiguration` naming the first field that cannot work.
    public func validate() throws(NodeNetworkingError) {
        guard (1...15).contains(bridgeName.utf8.count),
              bridgeName.unicodeScalars.allSatisfy(Self.isInterfaceNameCharacter) else {
            throw .invalidConfiguration(
                "bridge name \"\(bridgeName)\" must have 1 to 15 characters from A-Z a-z 0-9 _ -")
        }
        guard podCIDR.hostCount >= 2 else {
            throw .invalidConfiguration(
                "pod CIDR \(podCIDR) leaves no address for pods after the gateway; use a /30 or larger network")
        }
        guard !stateDirectory.isEmpty else {
            throw .invalidConfiguration("the state directory must not be empty")
        }
        guard !namespacePrefix.isEmpty, namespacePrefix.utf8.count <= 40, namespacePrefix.first != ".",
              namespacePrefix.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
            throw .invalidConfiguration(
                "namespace prefix \"\(namespacePrefix)\" must have 1 to 40 characters from A-Z a-z 0-9 . _ - "
                    + "and not start with a dot")
        }
        if let mtu, !(68...65535).contains(mtu) {
            throw .invalidConfiguration("MTU \(mtu) must be between 68 and 65535")
        }
    }

    static func isInterfaceNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isInterfaceNameCharacter(scalar) || scalar == "."
    }
}
