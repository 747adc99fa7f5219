import SQLiteNIO

/// Database-wide totals for `/metrics`, on a read connection.
extension SQLiteSyncStore: OperationalTotalsStore {
    public func operationalTotals(since: Int64, until: Int64) async throws -> OperationalTotals {
        try await read { connection in
            // Each device's score over its syncs in the window, as HealthMath.healthScore
            // computes it (integer division rounds halves up exactly).
            let health = try await connection.rows("""
                SELECT COALESCE(MIN(score), 100) AS lowest,
                    COALESCE(SUM(score < 80 AND score >= 70), 0) AS warning,
                    COALESCE(SUM(score < 70), 0) AS critical
                FROM (SELECT (200 * (COUNT(*) - SUM(failed)) + COUNT(*)) / (2 * COUNT(*)) AS score
                      FROM device_syncs WHERE at > ? AND at <= ? GROUP BY tenant, device)
                """, [.int64(since), .int64(until)], operation: "operationalTotals")
            let uploads = try await connection.rows("""
                SELECT (SELECT COUNT(*) FROM upload_sessions WHERE state = 'open' AND expires_at > ?) AS open,
                    (SELECT COALESCE(SUM(size), 0) FROM files) AS stored
                """, [.int64(until)], operation: "operationalTotals")
            guard let healthRow = health.first, let uploadRow = uploads.first else {
                throw StoreError(.corrupt, operation: "operationalTotals", engineReason: "an aggregate returned no row")
            }
            let h = SQLiteRowReader(row: healthRow, operation: "operationalTotals")
            let u = SQLiteRowReader(row: uploadRow, operation: "operationalTotals")
            return OperationalTotals(lowestHealthScore: try h.int("lowest"), devicesWarning: try h.int("warning"),
                                     devicesCritical: try h.int("critical"), uploadsInProgress: try u.int("open"),
                                     bytesStored: try u.int("stored"))
        }
    }
}
