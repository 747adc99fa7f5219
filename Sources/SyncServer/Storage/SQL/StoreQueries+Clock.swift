// The tenant clocks of test control (`ClockStore`).
extension StoreQueries {
    static func clockOffsets(on connection: some SQLExecutor) async throws -> [String: Int64] {
        var offsets: [String: Int64] = [:]
        for row in try await connection.rows("SELECT tenant, offset_ms FROM tenant_clocks", operation: "clockOffsets") {
            let reader = StoreRowReader(row: row, operation: "clockOffsets")
            offsets[try reader.text("tenant")] = try reader.int("offset_ms")
        }
        return offsets
    }

    static func clockOffset(on connection: some SQLExecutor, tenant: String) async throws -> Int64 {
        let rows = try await connection.rows("SELECT offset_ms FROM tenant_clocks WHERE tenant = ?", [.text(tenant)], operation: "clockOffset")
        return try rows.first.map { try StoreRowReader(row: $0, operation: "clockOffset").int("offset_ms") } ?? 0
    }

    /// Reads the stored offset and writes `change` of it, inside the caller's transaction.
    static func updateClockOffset(on connection: some SQLExecutor, tenant: String, _ change: (Int64) -> Int64) async throws -> Int64 {
        let offset = change(try await clockOffset(on: connection, tenant: tenant))
        if offset == 0 {
            try await connection.run("DELETE FROM tenant_clocks WHERE tenant = ?", [.text(tenant)], operation: "setClockOffset")
        } else {
            try await connection.run("""
                INSERT INTO tenant_clocks (tenant, offset_ms) VALUES (?, ?)
                ON CONFLICT (tenant) DO UPDATE SET offset_ms = excluded.offset_ms
                """, [.text(tenant), .int64(offset)], operation: "setClockOffset")
        }
        return offset
    }
}
