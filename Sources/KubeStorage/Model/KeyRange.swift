/// A half-open range of keys `[start, end)` in byte order, or a single key when `end` is nil.
///
/// Value type; Sendable. Bounds are raw UTF-8 bytes so that "prefix + 1" ends are exact even when they are
/// not valid UTF-8.
public struct KeyRange: Sendable, Equatable, Hashable {
    /// First key in the range (inclusive).
    public var start: [UInt8]
    /// First key after the range (exclusive); nil means the range is exactly `start`.
    public var end: [UInt8]?

    public init(start: [UInt8], end: [UInt8]?) {
        self.start = start
        self.end = end
    }

    /// Exactly one key.
    public static func key(_ key: String) -> KeyRange {
        KeyRange(start: Array(key.utf8), end: nil)
    }

    /// Every key that starts with `prefix`: `end` is the prefix with its last byte plus one, as etcd's
    /// `GetPrefixRangeEnd`. An empty prefix, or one of only 0xFF bytes, covers every key to the end.
    public static func prefix(_ prefix: String) -> KeyRange {
        KeyRange(start: Array(prefix.utf8), end: prefixEnd(Array(prefix.utf8)))
    }

    /// Every key from `start` (inclusive) to `end` (exclusive).
    public static func between(_ start: String, and end: String) -> KeyRange {
        KeyRange(start: Array(start.utf8), end: Array(end.utf8))
    }

    /// The range that continues a paged read after `lastKey`: `[lastKey + "\0", end)`.
    public func continuing(after lastKey: String) -> KeyRange {
        KeyRange(start: Array(lastKey.utf8) + [0], end: end ?? (Array(lastKey.utf8) + [0]))
    }

    /// The exclusive end of the keys that start with `prefix`; `[]` (meaning "no end") when none exists.
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return []  // no upper bound
    }

    /// The exclusive end bytes to compare against, or nil for "no upper bound"; single-key ranges return
    /// `start + [0]`.
    var exclusiveEnd: [UInt8]? {
        guard let end else { return start + [0] }
        return end.isEmpty ? nil : end
    }

    /// Whether `key` (UTF-8 bytes) lies in the range.
    public func contains<Bytes: Collection<UInt8>>(_ key: Bytes) -> Bool {
        guard !ByteOrder.less(key, start) else { return false }
        guard let upper = exclusiveEnd else { return true }
        return ByteOrder.less(key, upper)
    }

    /// Whether `key` lies in the range.
    public func contains(key: String) -> Bool { contains(key.utf8) }
}

/// Byte-wise (memcmp) ordering of keys, the order etcd and SQLite BLOB comparison use.
enum ByteOrder {
    static func less<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        var ia = a.makeIterator()
        var ib = b.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x != y { return x < y }
            }
        }
    }
}
