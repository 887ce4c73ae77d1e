import Foundation
import GRDB
import Synchronization

extension SQLiteEngine {
    /// The row for a key's live value: the fields a compare and a `previous` need.
    private struct LiveRow {
        var revision: Revision
        var kv: KeyValue
    }

    func apply(_ requests: [WriteRequest], current: Revision, nowMilliseconds: Int64) throws
        -> (results: [AppliedWrite], current: Revision)
    {
        try mapped {
            try pool.writeWithoutTransaction { db in
                var results: [AppliedWrite] = []
                var revision = current
                try db.inTransaction(.immediate) {
                    results = []
                    revision = current
                    results.reserveCapacity(requests.count)
                    for request in requests {
                        results.append(try applyOne(request, db: db, revision: &revision, now: nowMilliseconds))
                    }
                    if revision != current {
                        try db.cachedStatement(sql: "UPDATE meta SET value = ? WHERE name = 'current_revision'")
                            .execute(arguments: [revision])
                    }
                    return .commit
                }
                commits.add(1, ordering: .relaxed)
                checkpointer.noteCommit()
                return (results, revision)
            }
        }
    }

    private func applyOne(_ request: WriteRequest, db: Database, revision: inout Revision, now: Int64) throws
        -> AppliedWrite
    {
        let key = request.key
        let keyData = Data(key.utf8)
        let live = try liveRow(key: key, keyData: keyData, db: db)
        switch request {
        case .create(_, let value, let ttl):
            if let live { return AppliedWrite(outcome: .conflict(current: live.kv, revision: revision)) }
            let prev = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(revision) FROM log WHERE key = ?"), arguments: [keyData]) ?? 0
            revision += 1
            let kv = KeyValue(
                key: key, value: value, createRevision: revision, modRevision: revision, version: 1, lease: ttl ?? 0)
            try insert(kv, kind: SQLiteSchema.put, keyData: keyData, prev: prev, db: db)
            try setCurrent(keyData, revision: revision, expires: ttl.map { now + $0 * 1000 } ?? 0, db: db)
            return AppliedWrite(
                outcome: .committed(revision: revision, previous: nil),
                event: StoreEvent(kind: .put, kv: kv, previous: nil))
        case .update(_, let value, let expected, let ttl):
            guard let live, live.revision == expected else {
                return AppliedWrite(outcome: .conflict(current: live?.kv, revision: revision))
            }
            revision += 1
            let kv = KeyValue(
                key: key, value: value, createRevision: live.kv.createRevision, modRevision: revision,
                version: live.kv.version + 1, lease: ttl ?? 0)
            try insert(kv, kind: SQLiteSchema.put, keyData: keyData, prev: live.revision, db: db)
            try setCurrent(keyData, revision: revision, expires: ttl.map { now + $0 * 1000 } ?? 0, db: db)
            return AppliedWrite(
                outcome: .committed(revision: revision, previous: live.kv),
                event: StoreEvent(kind: .put, kv: kv, previous: live.kv))
        case .delete(_, let expected):
            guard let live, expected == nil || live.revision == expected else {
                return AppliedWrite(outcome: .conflict(current: live?.kv, revision: revision))
            }
            revision += 1
            let tombstone = KeyValue(key: key, value: [], createRevision: 0, modRevision: revision, version: 0)
            try insert(tombstone, kind: SQLiteSchema.delete, keyData: keyData, prev: live.revision, db: db)
            try db.cachedStatement(sql: "DELETE FROM current WHERE key = ?").execute(arguments: [keyData])
            return AppliedWrite(
                outcome: .committed(revision: revision, previous: live.kv),
                event: StoreEvent(kind: .delete, kv: tombstone, previous: live.kv))
        }
    }

    private func liveRow(key: String, keyData: Data, db: Database) throws -> LiveRow? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT l.create_revision, l.revision, l.version, l.lease, l.value
                FROM current c JOIN log l ON l.revision = c.revision WHERE c.key = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [keyData]) else { return nil }
        let revision: Int64 = row[1]
        let value = row.dataNoCopy(atIndex: 4)
        return LiveRow(
            revision: revision,
            kv: KeyValue(
                key: key, value: value.map { [UInt8]($0) } ?? [], createRevision: row[0], modRevision: revision,
                version: row[2], lease: row[3]))
    }

    private func insert(_ kv: KeyValue, kind: Int64, keyData: Data, prev: Revision, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO log(revision, key, kind, create_revision, prev_revision, version, lease, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            kv.modRevision, keyData, kind, kv.createRevision, prev, kv.version, kv.lease,
            kind == SQLiteSchema.delete ? nil : Data(kv.value),
        ])
    }

    private func setCurrent(_ keyData: Data, revision: Revision, expires: Int64, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO current(key, revision, lease_expires) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET revision = excluded.revision, lease_expires = excluded.lease_expires
                """
        ).execute(arguments: [keyData, revision, expires])
    }

    // MARK: TTL

    func expiredKeys(nowMilliseconds: Int64, limit: Int) throws -> [ExpiredKey] {
        try mapped {
            try pool.read { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT key, revision FROM current
                            WHERE lease_expires > 0 AND lease_expires <= ? ORDER BY lease_expires LIMIT ?
                            """),
                    arguments: [nowMilliseconds, limit]
                ).map { row in
                    let key: Data = row[0]
                    return ExpiredKey(key: String(decoding: key, as: UTF8.self), modRevision: row[1])
                }
            }
        }
    }

    func nextExpiry() throws -> Int64? {
        try mapped {
            try pool.read { db in
                try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT MIN(lease_expires) FROM current WHERE lease_expires > 0"))
            }
        }
    }

    // MARK: Compaction

    func compactStep(target: Revision, batchSize: Int) throws -> Revision {
        let reached: Revision = try mapped {
            try pool.writeWithoutTransaction { db in
                var reached: Revision = 0
                try db.inTransaction(.immediate) {
                    let low = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'compact_revision'") ?? 0
                    let high = min(target, low + Revision(batchSize))
                    reached = max(low, high)
                    guard high > low else { return .rollback }
                    // Versions superseded by a later write at or below `high`.
                    try db.execute(
                        sql: """
                            DELETE FROM log WHERE revision IN (
                                SELECT prev_revision FROM log
                                WHERE revision > ? AND revision <= ? AND prev_revision > 0)
                            """, arguments: [low, high])
                    // Tombstones below `high`: nothing at or after `high` needs them.
                    try db.execute(
                        sql: "DELETE FROM log WHERE revision >= ? AND revision < ? AND kind = \(SQLiteSchema.delete)",
                        arguments: [low, high])
                    try db.execute(sql: "UPDATE meta SET value = ? WHERE name = 'compact_revision'", arguments: [high])
                    return .commit
                }
                commits.add(1, ordering: .relaxed)
                return reached
            }
        }
        if reached >= target {
            // Give freed pages back and keep the WAL short; failures here lose nothing.
            try? pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA incremental_vacuum(2048)")
                _ = try? Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
        return reached
    }
}
