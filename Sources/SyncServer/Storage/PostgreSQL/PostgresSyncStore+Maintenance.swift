public import ServiceLifecycle

// Schema versions and inspection, for migrations, operators and tests.
extension PostgresSyncStore {
    /// Applies `migrations` (numbered 1, 2, 3, ...) that the database does not have yet, holding
    /// a session advisory lock meanwhile, so that nodes starting together migrate one at a time.
    package func migrate(to migrations: [StoreMigration]) async throws {
        try await withConnection("migrate") { connection in
            try await connection.run("SELECT pg_advisory_lock(hashtextextended('schema migrations', 0))", operation: "migrate")
            do {
                let before = try await StoreMigrator.version(connection)
                try await StoreMigrator.migrate(connection, to: migrations, begin: "BEGIN")
                let after = try await StoreMigrator.version(connection)
                if after != before {
                    logger.info("migrated PostgreSQL store", metadata: ["database": "\(url)", "from": "\(before)", "to": "\(after)"])
                }
            } catch {
                try? await connection.run("SELECT pg_advisory_unlock(hashtextextended('schema migrations', 0))", operation: "migrate")
                throw error
            }
            try await connection.run("SELECT pg_advisory_unlock(hashtextextended('schema migrations', 0))", operation: "migrate")
        }
    }

    /// The schema version of the database (0 before the first migration).
    package func schemaVersion() async throws -> Int {
        try await read { try await StoreMigrator.version($0) }
    }

    /// Every table of the current schema that has a `tenant` column: each must be emptied by
    /// `resetTenant`.
    package func tablesWithTenantColumn() async throws -> Set<String> {
        let rows = try await read { connection in
            try await connection.rows("""
                SELECT CAST(table_name AS TEXT) AS name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name = 'tenant'
                """, operation: "tablesWithTenantColumn")
        }
        return Set(rows.compactMap { $0.column("name")?.string })
    }

    /// Runs one fixed statement with text values bound to its `?` in a transaction of its own:
    /// for tests and repairs that need SQL the store has no operation for.
    package func execute(_ sql: String, binding values: [String] = []) async throws {
        try await transaction("execute", lock: nil) { try await $0.run(sql, values.map(SQLValue.text), operation: "execute") }
    }
}

/// As a service, the store stays open until graceful shutdown, then closes its connections.
/// List it before the services that use it: a `ServiceGroup` shuts services down in reverse order.
extension PostgresSyncStore: Service {
    /// Waits for graceful shutdown (or cancellation), then closes the store.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
