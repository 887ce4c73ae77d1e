import Foundation
import GRDB

extension SQLiteEngine {
    /// `key >= ? [AND key < ?]` for a range, with its arguments.
    private static func rangeClause(_ range: KeyRange, column: String) -> (String, [Data]) {
        if range.end == nil { return ("\(column) = ?", [Data(range.start)]) }
        if let end = range.exclusiveEnd {
            return ("\(column) >= ? AND \(column) < ?", [Data(range.start), Data(end)])
        }
        return ("\(column) >= ?", [Data(range.start)])
    }

    /// Every `(key, create_revision, revision, version, lease, value)` row of `statement`.
    private static func keyValues(_ statement: Statement, arguments: StatementArguments, keysOnly: Bool) throws
        -> [KeyValue]
    {
        var result: [KeyValue] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        let columns = SQLiteColumns(statement)
        while try rows.next() != nil { result.append(columns.keyValue(keysOnly: keysOnly)) }
        return result
    }

    func read(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult {
        do {
            return try await pool.read { db in
                let (current, compact) = try Self.revisionsInSnapshot(db)
                let (clause, keyArguments) = Self.rangeClause(range, column: "key")
                let fetchLimit = limit.map { $0 + 1 } ?? -1
                var kvs: [KeyValue]
                var count: Int64
                let valueColumn = keysOnly ? "NULL" : "value"
                if let revision, revision != current {
                    try HistoricalReadCheck.validate(revision, current: current, compact: compact)
                    let latest = """
                        SELECT key, kind, create_revision, MAX(revision) AS revision, version, lease, \(valueColumn) AS value
                        FROM log WHERE \(clause) AND revision <= ? GROUP BY key
                        """
                    let arguments = StatementArguments(keyArguments) + [revision]
                    kvs = try Self.keyValues(
                        db.makeStatement(
                            sql: """
                                SELECT key, create_revision, revision, version, lease, value FROM (\(latest))
                                WHERE kind = \(SQLiteSchema.put) ORDER BY key LIMIT ?
                                """),
                        arguments: arguments + [fetchLimit], keysOnly: keysOnly)
                    count = Int64(kvs.count)
                    if let limit, kvs.count > limit {
                        count = try Int64.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM (\(latest)) WHERE kind = \(SQLiteSchema.put)",
                            arguments: arguments) ?? 0
                    }
                } else {
                    let (currentClause, _) = Self.rangeClause(range, column: "c.key")
                    kvs = try Self.keyValues(
                        db.cachedStatement(
                            sql: """
                                SELECT l.key, l.create_revision, l.revision, l.version, l.lease, \
                                \(keysOnly ? "NULL" : "l.value")
                                FROM current c JOIN log l ON l.revision = c.revision
                                WHERE \(currentClause) ORDER BY c.key LIMIT ?
                                """),
                        arguments: StatementArguments(keyArguments) + [fetchLimit], keysOnly: keysOnly)
                    count = Int64(kvs.count)
                    if let limit, kvs.count > limit {
                        count = try Int64.fetchOne(
                            db.cachedStatement(sql: "SELECT COUNT(*) FROM current WHERE \(clause)"),
                            arguments: StatementArguments(keyArguments)) ?? 0
                    }
                }
                var more = false
                if let limit, kvs.count > limit {
                    kvs.removeLast(kvs.count - limit)
                    more = true
                }
                return ReadResult(kvs: kvs, more: more, count: count, revision: current)
            }
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        if let revision {
            let result = try await read(range, at: revision, limit: nil, keysOnly: true)
            return CountResult(count: result.count, revision: result.revision)
        }
        do {
            return try await pool.read { db in
                let (current, _) = try Self.revisionsInSnapshot(db)
                let (clause, arguments) = Self.rangeClause(range, column: "key")
                let count = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM current WHERE \(clause)"),
                    arguments: StatementArguments(arguments)) ?? 0
                return CountResult(count: count, revision: current)
            }
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    func history(_ range: KeyRange, from: Revision, through: Revision, limit: Int, prevKV: Bool) async throws
        -> [StoreEvent]
    {
        do {
            return try await pool.read { db in
                let (_, compact) = try Self.revisionsInSnapshot(db)
                try HistoricalReadCheck.validateReplay(from: from, compact: compact)
                let (clause, keyArguments) = Self.rangeClause(range, column: "l.key")
                let previousColumns =
                    prevKV
                    ? "p.kind, p.create_revision, p.version, p.lease, p.value"
                    : "NULL, NULL, NULL, NULL, NULL"
                let join = prevKV ? "LEFT JOIN log p ON p.revision = l.prev_revision AND l.prev_revision > 0" : ""
                let statement = try db.cachedStatement(
                        sql: """
                            SELECT l.key, l.kind, l.create_revision, l.revision, l.version, l.lease, l.value,
                                   l.prev_revision, \(previousColumns)
                            FROM log l \(join)
                            WHERE l.revision >= ? AND l.revision <= ? AND \(clause)
                            ORDER BY l.revision LIMIT ?
                            """)
                let rows = try Row.fetchCursor(
                    statement, arguments: [from, through] + StatementArguments(keyArguments) + [limit])
                var events: [StoreEvent] = []
                let columns = SQLiteColumns(statement)
                while try rows.next() != nil {
                    let key = columns.string(0)
                    let kind = columns.int64(1)
                    let revision = columns.int64(3)
                    let version = columns.int64(4)
                    var previous: KeyValue?
                    if prevKV, !columns.isNull(8), columns.int64(8) == SQLiteSchema.put,
                        kind == SQLiteSchema.delete || version > 1
                    {
                        previous = KeyValue(
                            key: key, value: columns.bytes(12), createRevision: columns.int64(9),
                            modRevision: columns.int64(7), version: columns.int64(10), lease: columns.int64(11))
                    }
                    if kind == SQLiteSchema.delete {
                        events.append(
                            StoreEvent(
                                kind: .delete,
                                kv: KeyValue(key: key, value: [], createRevision: 0, modRevision: revision, version: 0),
                                previous: previous))
                    } else {
                        events.append(
                            StoreEvent(
                                kind: .put,
                                kv: KeyValue(
                                    key: key, value: columns.bytes(6), createRevision: columns.int64(2),
                                    modRevision: revision, version: version, lease: columns.int64(5)),
                                previous: previous))
                    }
                }
                return events
            }
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    static func revisionsInSnapshot(_ db: Database) throws -> (current: Revision, compact: Revision) {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT name, value FROM meta WHERE name IN ('current_revision', 'compact_revision')"))
        var current: Revision = 1
        var compact: Revision = 0
        for row in rows {
            if (row[0] as String) == "current_revision" { current = row[1] } else { compact = row[1] }
        }
        return (current, compact)
    }
}
