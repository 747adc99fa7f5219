import GRDB

extension SQLiteClientStore {
    /// The schema's versioned migrations. Append new ones; never edit one that shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: server layer, outbox, verdicts, uploads") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE server_records (
                    collection TEXT NOT NULL,
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    provisional INTEGER NOT NULL,
                    record BLOB NOT NULL,
                    PRIMARY KEY (collection, id)
                );
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    collection TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    client_time INTEGER NOT NULL,
                    payload BLOB NOT NULL
                );
                CREATE INDEX outbox_by_record ON outbox (collection, record_id, seq);
                CREATE TABLE rejected (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    error TEXT NOT NULL,
                    message TEXT NOT NULL,
                    payload BLOB NOT NULL
                );
                CREATE TABLE in_review (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    review_id TEXT,
                    payload BLOB NOT NULL
                );
                CREATE TABLE upload_sessions (
                    local_id TEXT PRIMARY KEY NOT NULL,
                    file_path TEXT NOT NULL,
                    upload_id TEXT,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    chunk_size INTEGER,
                    chunk_count INTEGER,
                    state TEXT NOT NULL
                );
                """)
        }
        return migrator
    }
}
