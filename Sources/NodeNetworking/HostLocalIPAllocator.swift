/// Hands out pod IP addresses from one node's pod CIDR, like the CNI `host-local` IPAM plugin.
///
/// Actor; safe to call from any task. The network address, the gateway (host 1) and the broadcast address are
/// never handed out. Each reservation is one file in `directory`, named by the address ("10.244.0.7") and holding
/// the owner's sandbox id; `last_reserved_ip.0` remembers the last address handed out, so the next allocation
/// continues after it (round-robin: a freed address is not reused at once). Files are created atomically with
/// link(2), so a crash never leaves a half-written reservation. The directory is read once, at the first call, and
/// kept in memory afterwards: use one allocator per directory at a time (a restarted process creates a new one and
/// finds every reservation again).
public actor HostLocalIPAllocator {
    /// The network the addresses come from.
    public nonisolated let range: IPv4CIDR
    /// Where the reservation files live.
    public nonisolated let directory: String

    /// Address -> sandbox id; nil until the directory has been read.
    private var reservations: [IPv4Address: String]?

    static let lastReservedFileName = "last_reserved_ip.0"

    /// Fails when `range` has no address left for a pod after the gateway (a /31 or /32).
    public init(range: IPv4CIDR, directory: String) throws(NodeNetworkingError) {
        guard range.hostCount >= 2 else {
            throw .invalidConfiguration(
                "pod CIDR \(range) leaves no address for pods after the gateway; use a /30 or larger network")
        }
        self.range = range
        self.directory = directory
    }

    /// How many addresses pods can get in total (host count minus the gateway: 253 for a /24).
    public nonisolated var capacity: Int { Int(range.hostCount - 1) }

    /// The address reserved for `sandboxID`, reserving a new one if it has none yet.
    public func allocate(for sandboxID: String) throws(NodeNetworkingError) -> IPv4Address {
        var current = try loadedReservations()
        if let existing = current.first(where: { $0.value == sandboxID })?.key { return existing }
        let first = range.host(2)!, last = range.lastHost!
        var candidate = first
        if let text = try StateFiles.readText(path(Self.lastReservedFileName)),
           let lastReserved = IPv4Address(text.trimmingSpaces()), lastReserved >= first, lastReserved < last {
            candidate = lastReserved.advanced(by: 1)!
        }
        for _ in 0..<capacity {
            if current[candidate] == nil {
                if try StateFiles.createExclusively(path(candidate.description), sandboxID) {
                    current[candidate] = sandboxID
                    reservations = current
                    try StateFiles.writeAtomically(path(Self.lastReservedFileName), candidate.description)
                    return candidate
                }
                // Reserved on disk behind our back: learn the owner and move on.
                current[candidate] = try StateFiles.readText(path(candidate.description))?.trimmingSpaces() ?? ""
            }
            candidate = candidate == last ? first : candidate.advanced(by: 1)!
        }
        reservations = current
        throw .addressRangeExhausted(range: range, inUse: current.count)
    }

    /// The address reserved for `sandboxID`, if any.
    public func address(for sandboxID: String) throws(NodeNetworkingError) -> IPv4Address? {
        try loadedReservations().first(where: { $0.value == sandboxID })?.key
    }

    /// Frees every address reserved for `sandboxID` and returns them (empty if it had none).
    @discardableResult
    public func release(sandboxID: String) throws(NodeNetworkingError) -> [IPv4Address] {
        var current = try loadedReservations()
        let owned = current.filter { $0.value == sandboxID }.keys.sorted()
        for address in owned {
            try StateFiles.remove(path(address.description))
            current[address] = nil
        }
        reservations = current
        return owned
    }

    /// Every reservation: address -> sandbox id.
    public func allocations() throws(NodeNetworkingError) -> [IPv4Address: String] {
        try loadedReservations()
    }

    private func loadedReservations() throws(NodeNetworkingError) -> [IPv4Address: String] {
        if let reservations { return reservations }
        try StateFiles.createDirectory(directory)
        var loaded: [IPv4Address: String] = [:]
        for name in try StateFiles.list(directory) {
            guard let address = IPv4Address(name), range.contains(address) else { continue }
            loaded[address] = try StateFiles.readText(path(name))?.trimmingSpaces() ?? ""
        }
        reservations = loaded
        return loaded
    }

    private func path(_ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

extension String {
    /// The text without leading and trailing spaces and line breaks.
    func trimmingSpaces() -> String {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}
