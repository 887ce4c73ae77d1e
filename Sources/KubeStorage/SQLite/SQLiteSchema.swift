/// The SQLite schema: an append-only `log` of every revision plus a `current` index of live keys, so current
/// reads never scan history (docs/ARCHITECTURE.md, "SQLite layout").
enum SQLiteSchema {
    /// `PRAGMA application_id` of a Swiftlet database ("SWLT").
    static let applicationID: Int32 = 0x5357_4C54
    /// `PRAGMA user_version` this code writes and understands.
    static let version: Int32 = 1

    static let create = """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta(name, value) VALUES ('current_revision', 1), ('compact_revision', 0);
        CREATE TABLE log (
            revision        INTEGER PRIMARY KEY,
            key             BLOB    NOT NULL,
            kind            INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision   INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            lease           INTEGER NOT NULL DEFAULT 0,
            value           BLOB
        );
        CREATE UNIQUE INDEX log_key_revision ON log(key, revision);
        CREATE UNIQUE INDEX log_key_prev ON log(key, prev_revision);
        CREATE TABLE current (
            key           BLOB    PRIMARY KEY,
            revision      INTEGER NOT NULL,
            lease_expires INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX current_lease ON current(lease_expires) WHERE lease_expires > 0;
        """

    /// Row kinds in `log.kind`.
    static let put: Int64 = 0
    static let delete: Int64 = 1
}
