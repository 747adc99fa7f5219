// The tenant clocks of test control, kept across restarts.
extension SQLiteSyncStore: ClockStore {
    public func clockOffsets() async throws -> [String: Int64] {
        try await read { try await StoreQueries.clockOffsets(on: $0) }
    }

    public func clockOffset(tenant: String) async throws -> Int64 {
        try await read { try await StoreQueries.clockOffset(on: $0, tenant: tenant) }
    }

    public func updateClockOffset(tenant: String, _ change: @Sendable (Int64) -> Int64) async throws -> Int64 {
        try await transaction("setClockOffset") { try await StoreQueries.updateClockOffset(on: $0, tenant: tenant, change) }
    }
}
