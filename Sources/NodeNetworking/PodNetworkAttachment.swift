/// Where one pod sandbox is on the pod network: the namespace its containers join and the address it got.
///
/// A value type; Sendable. `namespacePath` goes into the OCI spec (`linux.namespaces` entry of type `network`);
/// `ipAddress` is the pod IP reported in `PodStatus.podIP`.
public struct PodNetworkAttachment: Sendable, Hashable, Codable {
    public var sandboxID: String
    /// The `ip netns` name, `<namespacePrefix><sandboxID>`.
    public var namespaceName: String
    /// `/var/run/netns/<namespaceName>`.
    public var namespacePath: String
    /// The pod's address on `eth0`.
    public var ipAddress: IPv4Address
    /// The prefix length of the pod CIDR, e.g. 24.
    public var prefixLength: Int
    /// The bridge address, the pod's default route.
    public var gateway: IPv4Address
    /// The host end of the pod's veth pair (attached to the bridge).
    public var hostInterface: String

    public init(
        sandboxID: String, namespaceName: String, namespacePath: String, ipAddress: IPv4Address, prefixLength: Int,
        gateway: IPv4Address, hostInterface: String
    ) {
        self.sandboxID = sandboxID
        self.namespaceName = namespaceName
        self.namespacePath = namespacePath
        self.ipAddress = ipAddress
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.hostInterface = hostInterface
    }
}
