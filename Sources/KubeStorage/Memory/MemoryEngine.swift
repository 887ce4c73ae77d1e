import Synchronization

/// The in-memory engine behind `MemoryStore`: the same log-plus-current-index model as SQLite, kept in
/// dictionaries. Nothing survives the process.
///
/// Thread-safe (one `Mutex`); see `StorageEngine` for who calls what.
final class MemoryEngine: StorageEngine {
    struct Row {
        var key: String
        var isDelete: Bool
        var createRevision: Revision
        var prevRevision: Revision
        var version: Int64
        var lease: Int64
        var value: [UInt8]

        func keyValue(revision: Revision, keysOnly: Bool = false) -> KeyValue {
            KeyValue(
                key: key, value: keysOnly ? [] : value, createRevision: createRevision, modRevision: revision,
                version: version, lease: lease)
        }
    }

    struct CurrentEntry {
        var revision: Revision
        var leaseExpires: Int64
    }

    struct State {
        var rows: [Revision: Row] = [:]
        var revisionOrder: [Revision] = []
        var current: [String: CurrentEntry] = [:]
        var sortedKeys: [[UInt8]] = []
        var currentRevision: Revision = 1
        var compactRevision: Revision = 0
        var commits = 0
    }

    private let state = Mutex(State())

    init() {}

    func loadRevisions() throws -> (current: Revision, compact: Revision) {
        state.withLock { ($0.currentRevision, $0.compactRevision) }
    }

    func revisions() async throws -> (current: Revision, compact: Revision) { try loadRevisions() }

    var commitCount: Int { state.withLock { $0.commits } }

    var maintenanceDue: Bool { false }

    func performMaintenance() {}

    func close() {}

    // MARK: Writes

    func apply(_ requests: [WriteRequest], current: Revision, nowMilliseconds: Int64) throws
        -> (results: [AppliedWrite], current: Revision)
    {
        state.withLock { s in
            var results: [AppliedWrite] = []
            results.reserveCapacity(requests.count)
            for request in requests {
                let key = request.key
                let existing = s.current[key].map { entry in
                    (entry, s.rows[entry.revision]!.keyValue(revision: entry.revision))
                }
                switch request {
                case .create(_, let value, let ttl):
                    if let existing {
                        results.append(AppliedWrite(outcome: .conflict(current: existing.1, revision: s.currentRevision)))
                        continue
                    }
                    let rev = s.currentRevision + 1
                    let prev = s.revisionOrder.last { s.rows[$0]?.key == key } ?? 0
                    let row = Row(
                        key: key, isDelete: false, createRevision: rev, prevRevision: prev, version: 1,
                        lease: ttl ?? 0, value: value)
                    Self.append(&s, row, revision: rev, leaseExpires: ttl.map { nowMilliseconds + $0 * 1000 } ?? 0)
                    results.append(
                        AppliedWrite(
                            outcome: .committed(revision: rev, previous: nil),
                            event: StoreEvent(kind: .put, kv: row.keyValue(revision: rev), previous: nil)))
                case .update(_, let value, let expected, let ttl):
                    guard let (entry, kv) = existing, entry.revision == expected else {
                        results.append(AppliedWrite(outcome: .conflict(current: existing?.1, revision: s.currentRevision)))
                        continue
                    }
                    let rev = s.currentRevision + 1
                    let row = Row(
                        key: key, isDelete: false, createRevision: kv.createRevision, prevRevision: entry.revision,
                        version: kv.version + 1, lease: ttl ?? 0, value: value)
                    Self.append(&s, row, revision: rev, leaseExpires: ttl.map { nowMilliseconds + $0 * 1000 } ?? 0)
                    results.append(
                        AppliedWrite(
                            outcome: .committed(revision: rev, previous: kv),
                            event: StoreEvent(kind: .put, kv: row.keyValue(revision: rev), previous: kv)))
                case .delete(_, let expected):
                    guard let (entry, kv) = existing, expected == nil || entry.revision == expected else {
                        results.append(AppliedWrite(outcome: .conflict(current: existing?.1, revision: s.currentRevision)))
                        continue
                    }
                    let rev = s.currentRevision + 1
                    let row = Row(
                        key: key, isDelete: true, createRevision: 0, prevRevision: entry.revision, version: 0,
                        lease: 0, value: [])
                    Self.append(&s, row, revision: rev, leaseExpires: 0)
                    results.append(
                        AppliedWrite(
                            outcome: .committed(revision: rev, previous: kv),
                            event: StoreEvent(
                                kind: .delete,
                                kv: KeyValue(key: key, value: [], createRevision: 0, modRevision: rev, version: 0),
                                previous: kv)))
                }
            }
            s.commits += 1
            return (results, s.currentRevision)
        }
    }

    private static func append(_ s: inout State, _ row: Row, revision: Revision, leaseExpires: Int64) {
        s.rows[revision] = row
        s.revisionOrder.append(revision)
        s.currentRevision = revision
        let bytes = Array(row.key.utf8)
        let index = insertionIndex(s.sortedKeys, bytes)
        let present = index < s.sortedKeys.count && s.sortedKeys[index] == bytes
        if row.isDelete {
            s.current[row.key] = nil
            if present { s.sortedKeys.remove(at: index) }
        } else {
            s.current[row.key] = CurrentEntry(revision: revision, leaseExpires: leaseExpires)
            if !present { s.sortedKeys.insert(bytes, at: index) }
        }
    }

    private static func insertionIndex(_ keys: [[UInt8]], _ key: [UInt8]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if ByteOrder.less(keys[mid], key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func expiredKeys(nowMilliseconds: Int64, limit: Int) throws -> [ExpiredKey] {
        state.withLock { s in
            s.current.filter { $0.value.leaseExpires > 0 && $0.value.leaseExpires <= nowMilliseconds }
                .prefix(limit)
                .map { ExpiredKey(key: $0.key, modRevision: $0.value.revision) }
        }
    }

    func nextExpiry() throws -> Int64? {
        state.withLock { s in s.current.values.map(\.leaseExpires).filter { $0 > 0 }.min() }
    }

    func compactStep(target: Revision, batchSize: Int) throws -> Revision {
        state.withLock { s in
            let low = s.compactRevision
            let high = min(target, low + Revision(batchSize))
            guard high > low else { return low }
            var doomed = Set<Revision>()
            for revision in s.revisionOrder where revision > low && revision <= high {
                guard let row = s.rows[revision] else { continue }
                if row.prevRevision > 0 { doomed.insert(row.prevRevision) }
            }
            for revision in s.revisionOrder where revision >= low && revision < high {
                if s.rows[revision]?.isDelete == true { doomed.insert(revision) }
            }
            for revision in doomed { s.rows[revision] = nil }
            s.revisionOrder.removeAll { doomed.contains($0) }
            s.compactRevision = high
            s.commits += 1
            return high
        }
    }

    // MARK: Reads

    func read(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult {
        try state.withLock { s throws(StorageError) in
            var matches: [KeyValue]
            if let revision, revision != s.currentRevision {
                try HistoricalReadCheck.validate(revision, current: s.currentRevision, compact: s.compactRevision)
                var latest: [String: (Revision, Row)] = [:]
                for rev in s.revisionOrder where rev <= revision {
                    let row = s.rows[rev]!
                    if range.contains(key: row.key) { latest[row.key] = (rev, row) }
                }
                matches = latest.values.filter { !$0.1.isDelete }
                    .map { $0.1.keyValue(revision: $0.0, keysOnly: keysOnly) }
                    .sorted { ByteOrder.less($0.key.utf8, $1.key.utf8) }
            } else {
                let startIndex = Self.insertionIndex(s.sortedKeys, range.start)
                matches = []
                for bytes in s.sortedKeys[startIndex...] {
                    guard range.contains(bytes) else { break }
                    let key = String(decoding: bytes, as: UTF8.self)
                    let entry = s.current[key]!
                    matches.append(s.rows[entry.revision]!.keyValue(revision: entry.revision, keysOnly: keysOnly))
                }
            }
            let count = Int64(matches.count)
            var more = false
            if let limit, matches.count > limit {
                matches = Array(matches.prefix(limit))
                more = true
            }
            return ReadResult(kvs: matches, more: more, count: count, revision: s.currentRevision)
        }
    }

    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        let result = try await read(range, at: revision, limit: nil, keysOnly: true)
        return CountResult(count: result.count, revision: result.revision)
    }

    func history(_ range: KeyRange, from: Revision, through: Revision, limit: Int, prevKV: Bool) async throws
        -> [StoreEvent]
    {
        try state.withLock { s throws(StorageError) in
            try HistoricalReadCheck.validateReplay(from: from, compact: s.compactRevision)
            var events: [StoreEvent] = []
            let startIndex = s.revisionOrder.firstIndex { $0 >= from } ?? s.revisionOrder.count
            for revision in s.revisionOrder[startIndex...] {
                if revision > through || events.count >= limit { break }
                let row = s.rows[revision]!
                guard range.contains(key: row.key) else { continue }
                var previous: KeyValue?
                if prevKV, row.isDelete || row.version > 1, let prior = s.rows[row.prevRevision], !prior.isDelete {
                    previous = prior.keyValue(revision: row.prevRevision)
                }
                if row.isDelete {
                    events.append(
                        StoreEvent(
                            kind: .delete,
                            kv: KeyValue(key: row.key, value: [], createRevision: 0, modRevision: revision, version: 0),
                            previous: previous))
                } else {
                    events.append(StoreEvent(kind: .put, kv: row.keyValue(revision: revision), previous: previous))
                }
            }
            return events
        }
    }
}
