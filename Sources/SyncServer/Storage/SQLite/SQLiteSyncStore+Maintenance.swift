import SQLiteNIO

/// How a connection of the store is set up, as SQLite reports it.
package struct SQLiteSettings: Sendable, Hashable {
    /// `PRAGMA journal_mode` of the writer (`wal`).
    package var journalMode: String
    /// `PRAGMA synchronous` of the writer: 1 NORMAL, 2 FULL.
    package var synchronous: Int
    /// `PRAGMA foreign_keys` of the writer.
    package var foreignKeys: Bool
    /// `PRAGMA busy_timeout` of the writer, in milliseconds.
    package var busyTimeoutMilliseconds: Int
    /// `PRAGMA query_only` of a reader.
    package var readerQueryOnly: Bool
}

// Schema versions and inspection, for migrations, operators and tests.
extension SQLiteSyncStore {
    /// Applies `migrations` (numbered 1, 2, 3, ...) that the database does not have yet; tests
    /// pass a longer list to show how an older database is upgraded.
    package func migrate(to migrations: [StoreMigration]) async throws {
        try await withWriter("migrate") { connection in
            let before = try await StoreMigrator.version(connection)
            try await StoreMigrator.migrate(connection, to: migrations, begin: "BEGIN IMMEDIATE")
            let after = try await StoreMigrator.version(connection)
            if after != before {
                logger.info("migrated SQLite store", metadata: ["path": "\(path)", "from": "\(before)", "to": "\(after)"])
            }
        }
    }

    /// The schema version of the database (0 before the first migration).
    package func schemaVersion() async throws -> Int {
        try await withWriter("schemaVersion") { try await StoreMigrator.version($0) }
    }

    /// The connections' settings.
    package func settings() async throws -> SQLiteSettings {
        let (journalMode, synchronous, foreignKeys, busyTimeout) = try await withWriter("settings") { connection in
            (try await connection.value("PRAGMA journal_mode", column: "journal_mode", operation: "settings")?.string ?? "",
             try await connection.value("PRAGMA synchronous", column: "synchronous", operation: "settings")?.integer ?? -1,
             try await connection.value("PRAGMA foreign_keys", column: "foreign_keys", operation: "settings")?.integer ?? -1,
             try await connection.value("PRAGMA busy_timeout", column: "timeout", operation: "settings")?.integer ?? -1)
        }
        let queryOnly = try await read { connection in
            try await connection.value("PRAGMA query_only", column: "query_only", operation: "settings")?.integer ?? -1
        }
        return SQLiteSettings(journalMode: journalMode, synchronous: Int(synchronous), foreignKeys: foreignKeys == 1,
                              busyTimeoutMilliseconds: Int(busyTimeout), readerQueryOnly: queryOnly == 1)
    }

    /// Every table that has a `tenant` column: each must be emptied by `resetTenant`.
    package func tablesWithTenantColumn() async throws -> Set<String> {
        let rows = try await read { connection in
            try await connection.rows("""
                SELECT m.name AS name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS c
                WHERE m.type = 'table' AND c.name = 'tenant'
                """, operation: "tablesWithTenantColumn")
        }
        return Set(rows.compactMap { $0.column("name")?.string })
    }

    /// Runs one fixed statement with text values bound to its `?` in a transaction of its own:
    /// for tests and repairs that need SQL the store has no operation for.
    package func execute(_ sql: String, binding values: [String] = []) async throws {
        try await transaction("execute") { try await $0.run(sql, values.map(SQLValue.text), operation: "execute") }
    }
}
