/// An IPv4 network in CIDR notation ("10.244.0.0/24"): its network address and prefix length.
///
/// A value type; Sendable; pure. Parsing masks host bits, like Go's `net.ParseCIDR` network result:
/// "10.244.0.7/24" is the network 10.244.0.0/24. Host numbering: host 1 is the first address after the
/// network address (the gateway by convention), the last host is the one before the broadcast address.
public struct IPv4CIDR: Sendable, Hashable, Codable, LosslessStringConvertible {
    /// The network address (host bits zero).
    public let network: IPv4Address
    /// 0...32.
    public let prefixLength: Int

    /// The network containing `address` with the given prefix length (host bits are masked off).
    public init?(address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        self.network = IPv4Address(address.value & IPv4CIDR.mask(prefixLength))
    }

    /// Parses "a.b.c.d/n"; nil when the text is not an IPv4 CIDR.
    public init?(_ description: String) {
        let parts = description.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              !parts[1].isEmpty, parts[1].count <= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Int(parts[1]) else { return nil }
        self.init(address: address, prefixLength: length)
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// The netmask as an address, e.g. 255.255.255.0 for /24.
    public var netmask: IPv4Address { IPv4Address(IPv4CIDR.mask(prefixLength)) }

    /// The last address of the network (all host bits set).
    public var broadcast: IPv4Address { IPv4Address(network.value | ~IPv4CIDR.mask(prefixLength)) }

    /// How many addresses the network spans, network and broadcast included (256 for a /24).
    public var size: Int64 { Int64(1) << Int64(32 - prefixLength) }

    /// How many host addresses there are, network and broadcast excluded (254 for a /24, 0 for /31 and /32).
    public var hostCount: Int64 { max(0, size - 2) }

    /// Whether `address` lies inside this network (network and broadcast addresses included).
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & IPv4CIDR.mask(prefixLength) == network.value
    }

    /// Whether the two networks share any address.
    public func overlaps(_ other: IPv4CIDR) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The `n`th host address, 1-based (host 1 of 10.244.0.0/24 is 10.244.0.1); nil outside 1...hostCount.
    public func host(_ n: Int64) -> IPv4Address? {
        guard n >= 1, n <= hostCount else { return nil }
        return network.advanced(by: n)
    }

    /// The first host address, which Swiftlet gives to the bridge as the pods' default gateway; nil for /31 and /32.
    public var gateway: IPv4Address? { host(1) }

    /// The last host address (the one before the broadcast address); nil for /31 and /32.
    public var lastHost: IPv4Address? { host(hostCount) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let cidr = IPv4CIDR(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an IPv4 CIDR such as 10.244.0.0/24")
        }
        self = cidr
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }
}
