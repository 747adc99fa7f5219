/// The tenant clocks of test control (TEST-5) kept in the database, so that every node on a
/// shared database, and a node after a restart, shows a tenant the same time. Offsets are in
/// milliseconds from the real clock; a tenant without a row has none. `resetTenant` deletes the
/// tenant's row with the rest of its data.
public protocol ClockStore: Sendable {
    /// Every tenant's stored offset.
    func clockOffsets() async throws -> [String: Int64]

    /// The tenant's stored offset; 0 when it has none.
    func clockOffset(tenant: String) async throws -> Int64

    /// Replaces the tenant's offset with `change` of the stored one (0 when none) in one
    /// transaction, so that two nodes changing it at once both count, and tells the other nodes
    /// on the database; returns the new offset. An offset of 0 is stored as no row.
    func updateClockOffset(tenant: String, _ change: @Sendable (Int64) -> Int64) async throws -> Int64
}
