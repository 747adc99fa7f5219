/// What the SQLite and PostgreSQL schemas share: the same tables and columns (only the column
/// types and key generators are spelled per engine), so `StoreQueries` runs on both.
package enum StoreSchema {
    /// Every table holding tenant data, each with a `tenant` column. A new one must be added
    /// here, so that `resetTenant` (TEST-3) empties it; a test compares this list with the schema.
    package static let tenantTables = [
        "records", "change_log", "devices", "mutation_results", "idempotency", "conflict_audit", "reviews", "policies",
        "device_health", "device_syncs", "tenant_hours", "tenant_hour_latency",
        "upload_sessions", "upload_chunks", "files", "tenant_clocks",
    ]

    /// One statement per tenant table, deleting the rows of the tenant bound to `?`. Table names
    /// come from the constant list above, never from input.
    static let deleteTenant = tenantTables.map { "DELETE FROM \($0) WHERE tenant = ?" }
}
