public import Foundation

/// The names and addresses the API server's certificate must be valid for: loopback, the in-cluster
/// `kubernetes` Service names, the host's name and addresses, and any `--tls-san`.
///
/// Value type; Sendable.
public struct ServingNames: Sendable, Equatable {
    public var dnsNames: [String]
    public var ipAddresses: [[UInt8]]

    public static let clusterDNSNames = [
        "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
    ]

    public init(dnsNames: [String], ipAddresses: [[UInt8]]) {
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
    }

    /// The defaults for this host plus `extra` entries (IP addresses or DNS names).
    public static func forThisHost(extra: [String] = []) throws -> ServingNames {
        var names = ServingNames(dnsNames: clusterDNSNames, ipAddresses: [[127, 0, 0, 1], ipv6Loopback])
        if let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init), !host.isEmpty {
            names.add(host)
        }
        for address in HostAddresses.all() { names.ipAddresses.append(address) }
        for entry in extra { names.add(entry) }
        names.normalize()
        return names
    }

    static let ipv6Loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]

    /// Adds an IP address (when `entry` parses as one) or a DNS name.
    public mutating func add(_ entry: String) {
        if let address = Self.parseAddress(entry) { ipAddresses.append(address) } else { dnsNames.append(entry.lowercased()) }
        normalize()
    }

    /// Whether every name and address of `other` is covered here.
    public func covers(_ other: ServingNames) -> Bool {
        Set(other.dnsNames).isSubset(of: Set(dnsNames)) && Set(other.ipAddresses).isSubset(of: Set(ipAddresses))
    }

    private mutating func normalize() {
        var seenNames = Set<String>()
        dnsNames = dnsNames.filter { seenNames.insert($0).inserted }
        var seenAddresses = Set<[UInt8]>()
        ipAddresses = ipAddresses.filter { seenAddresses.insert($0).inserted }
    }

    /// 4 or 16 bytes for an IPv4 or IPv6 literal, else nil.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// The host's interface addresses (IPv4 and IPv6, without link-local IPv6).
///
/// Stateless; Sendable.
enum HostAddresses {
    static func all() -> [[UInt8]] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }
        var result: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    var value = $0.pointee.sin_addr
                    result.append(withUnsafeBytes(of: &value) { Array($0) })
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    var value = $0.pointee.sin6_addr
                    let bytes = withUnsafeBytes(of: &value) { Array($0) }
                    if !(bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80) { result.append(bytes) }
                }
            default: break
            }
        }
        return result
    }
}
