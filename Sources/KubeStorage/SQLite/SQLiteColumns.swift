import GRDB
import GRDBSQLite

/// Reads the columns of the row a statement is positioned on, straight from SQLite's C API: one copy per
/// blob, no intermediate `Row` or `Data` values. Lists of thousands of keys spend most of their time here.
///
/// Use only while a cursor over `statement` is positioned on a row (the values are valid until the next step).
struct SQLiteColumns {
    let statement: OpaquePointer

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
    }

    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }

    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_NULL
    }

    func bytes(_ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(statement, index) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, index))
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func string(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_blob(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// A `(key, create_revision, revision, version, lease, value)` row as a `KeyValue`.
    func keyValue(keysOnly: Bool) -> KeyValue {
        KeyValue(
            key: string(0), value: keysOnly ? [] : bytes(5), createRevision: int64(1), modRevision: int64(2),
            version: int64(3), lease: int64(4))
    }
}
