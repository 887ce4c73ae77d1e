#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The machine's network addresses, read with getifaddrs(3).
///
/// Stateless; safe from any thread.
public enum HostAddresses {
    /// IPv4 addresses of interfaces that are up, by interface name, in the kernel's order.
    public static func ipv4() -> [(interface: String, address: String)] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var result: [(String, String)] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let socketAddress = entry.pointee.ifa_addr, socketAddress.pointee.sa_family == sa_family_t(AF_INET),
                  entry.pointee.ifa_flags & UInt32(IFF_UP) != 0
            else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let converted = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                var address = pointer.pointee.sin_addr
                return inet_ntop(AF_INET, &address, &text, socklen_t(INET_ADDRSTRLEN))
            }
            guard converted != nil else { continue }
            let name = String(cString: entry.pointee.ifa_name)
            result.append((name, String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        return result
    }

    /// The first IPv4 address not on loopback and not on an interface in `excluding`; nil when none.
    public static func primaryIPv4(excluding interfaces: Set<String> = []) -> String? {
        ipv4().first { !$0.address.hasPrefix("127.") && !interfaces.contains($0.interface) }?.address
    }

    /// Whether `executable` is found on PATH (or is an executable path).
    public static func isOnPath(_ executable: String) -> Bool {
        if executable.contains("/") { return access(executable, X_OK) == 0 }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(executable)", X_OK) == 0 }
    }
}
