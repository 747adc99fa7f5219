// MARK: - What belongs to the server rather than to a tenant: its secrets and database-wide totals

extension StoreQueries {
    /// The secret stored under `name`, created first if there is none; the caller holds a
    /// transaction. The insert keeps a secret another process stored first, so processes sharing
    /// the database agree on one.
    static func secret(on connection: some SQLExecutor, named name: String) async throws -> [UInt8] {
        try await connection.run(
            "INSERT INTO server_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(ServerSecret.text(ServerSecret.generate()))], operation: "secret")
        let stored = try await connection.value("SELECT secret FROM server_secrets WHERE name = ?", [.text(name)],
                                                column: "secret", operation: "secret")
        guard case .text(let text) = stored, let secret = ServerSecret.secret(text) else {
            throw StoreError(.database, operation: "secret", engineReason: "the stored secret is not 64 hex digits")
        }
        return secret
    }

    /// Database-wide totals for `/metrics`. Each device's score over its syncs in the window is
    /// computed as HealthMath.healthScore computes it (integer division rounds halves up exactly).
    static func operationalTotals(on connection: some SQLExecutor, since: Int64, until: Int64) async throws -> OperationalTotals {
        let health = try await connection.rows("""
            SELECT CAST(COALESCE(MIN(score), 100) AS BIGINT) AS lowest,
                CAST(COALESCE(SUM(CASE WHEN score < 80 AND score >= 70 THEN 1 ELSE 0 END), 0) AS BIGINT) AS warning,
                CAST(COALESCE(SUM(CASE WHEN score < 70 THEN 1 ELSE 0 END), 0) AS BIGINT) AS critical
            FROM (SELECT (200 * (COUNT(*) - SUM(failed)) + COUNT(*)) / (2 * COUNT(*)) AS score
                  FROM device_syncs WHERE at > ? AND at <= ? GROUP BY tenant, device) AS scores
            """, [.int64(since), .int64(until)], operation: "operationalTotals")
        let uploads = try await connection.rows("""
            SELECT (SELECT COUNT(*) FROM upload_sessions WHERE state = 'open' AND expires_at > ?) AS open,
                (SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files) AS stored
            """, [.int64(until)], operation: "operationalTotals")
        guard let healthRow = health.first, let uploadRow = uploads.first else {
            throw StoreError(.corrupt, operation: "operationalTotals", engineReason: "an aggregate returned no row")
        }
        let h = StoreRowReader(row: healthRow, operation: "operationalTotals")
        let u = StoreRowReader(row: uploadRow, operation: "operationalTotals")
        return OperationalTotals(lowestHealthScore: try h.int("lowest"), devicesWarning: try h.int("warning"),
                                 devicesCritical: try h.int("critical"), uploadsInProgress: try u.int("open"),
                                 bytesStored: try u.int("stored"))
    }
}
