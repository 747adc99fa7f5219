import Foundation

/// One numbered step of a schema: SQL statements applied together in one transaction and
/// recorded in `schema_migrations`.
package struct StoreMigration: Sendable {
    /// The schema version the database has after this step; versions count 1, 2, 3, ...
    package var version: Int
    /// What the step does, recorded with it.
    package var name: String
    /// The statements, in order. Fixed SQL only: migrations bind no values.
    package var statements: [String]

    /// Creates a migration.
    package init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies migrations to a database on one connection, which the caller holds exclusively and
/// which no other process migrates at the same time (SQLite: `BEGIN IMMEDIATE` takes the write
/// lock; PostgreSQL: the caller holds an advisory lock for the whole run).
enum StoreMigrator {
    /// The applied versions, in `schema_migrations` (created when missing).
    static let createVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """

    /// Brings the database up to the last of `migrations`. Each pending migration runs in its own
    /// transaction, opened with `begin`, which checks again that no other process applied it
    /// meanwhile; a failing one is rolled back whole and stops the run. Running it again when
    /// everything is applied changes nothing.
    static func migrate(_ connection: some SQLExecutor, to migrations: [StoreMigration], begin: String) async throws {
        precondition(migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
                     "migrations must be numbered 1, 2, 3, ... in order")
        let current = try await version(connection)
        let latest = migrations.last?.version ?? 0
        guard current <= latest else {
            throw StoreError(.schemaTooNew, operation: "migrate", engineReason: "schema version \(current), this server knows \(latest)")
        }
        for migration in migrations where migration.version > current {
            try await apply(migration, on: connection, begin: begin)
        }
    }

    /// The highest applied version (0 for a new database, whose `schema_migrations` this creates).
    static func version(_ connection: some SQLExecutor) async throws -> Int {
        try await connection.run(createVersionTable, operation: "migrate")
        let value = try await connection.value("SELECT MAX(version) AS version FROM schema_migrations",
                                               column: "version", operation: "migrate")
        return value?.integer.map { Int($0) } ?? 0
    }

    private static func apply(_ migration: StoreMigration, on connection: some SQLExecutor, begin: String) async throws {
        let operation = "migration \(migration.version)"
        try await connection.run(begin, operation: operation)
        do {
            let applied = try await connection.rows("SELECT version FROM schema_migrations WHERE version = ?",
                                                    [.int(migration.version)], operation: operation)
            if applied.isEmpty {
                for statement in migration.statements {
                    try await connection.run(statement, operation: operation)
                }
                let now = Int(Date().timeIntervalSince1970 * 1000)
                try await connection.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                         [.int(migration.version), .text(migration.name), .int(now)],
                                         operation: operation)
            }
            try await connection.run("COMMIT", operation: operation)
        } catch {
            try? await connection.run("ROLLBACK", operation: operation)
            let reason = (error as? StoreError)?.engineReason
            throw StoreError(.migrationFailed, operation: operation, engineReason: reason)
        }
    }
}
