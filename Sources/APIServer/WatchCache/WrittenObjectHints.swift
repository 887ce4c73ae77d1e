import KubeCore
import Synchronization

/// The parsed trees of objects the API server is writing, by store key, so the watch cache can take an
/// object it is about to receive from the store's watch without parsing the bytes it just wrote.
///
/// A hint is used only when the watched value is byte-for-byte the value written; it is an optimisation
/// only — a missing, stale or evicted hint means the watch cache parses, as it would without hints.
///
/// Thread-safe (one `Mutex`); memory is bounded by ``capacity`` (beyond it, the hints are dropped).
final class WrittenObjectHints: Sendable {
    static let capacity = 2048

    private struct Hint {
        var bytes: [UInt8]
        var tree: JSONValue
    }

    private let hints = Mutex<[String: Hint]>([:])

    /// Records that `bytes` (whose parsed form is `tree`) are about to be written at `key`.
    func remember(key: String, bytes: [UInt8], tree: JSONValue) {
        hints.withLock { hints in
            if hints.count >= Self.capacity, hints[key] == nil { hints.removeAll(keepingCapacity: true) }
            hints[key] = Hint(bytes: bytes, tree: tree)
        }
    }

    /// The tree of `bytes` at `key` when they are what was remembered (the hint is used up).
    func take(key: String, bytes: [UInt8]) -> JSONValue? {
        guard let hint = hints.withLock({ $0.removeValue(forKey: key) }) else { return nil }
        guard hint.bytes == bytes else { return Optional.none }
        return hint.tree
    }
}
