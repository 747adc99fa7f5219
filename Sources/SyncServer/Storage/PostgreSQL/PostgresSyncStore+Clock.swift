// The tenant clocks of test control, shared by every node on the database: a change is made
// under the tenant's clock lock and announced to the other nodes (`PeerEvent.clock`).
extension PostgresSyncStore: ClockStore {
    public func clockOffsets() async throws -> [String: Int64] {
        try await read { try await StoreQueries.clockOffsets(on: $0) }
    }

    public func clockOffset(tenant: String) async throws -> Int64 {
        try await read { try await StoreQueries.clockOffset(on: $0, tenant: tenant) }
    }

    public func updateClockOffset(tenant: String, _ change: @Sendable (Int64) -> Int64) async throws -> Int64 {
        try await transaction("setClockOffset", lock: .clock(tenant)) { connection in
            let offset = try await StoreQueries.updateClockOffset(on: connection, tenant: tenant, change)
            try await notifyClock(on: connection, tenant: tenant)
            return offset
        }
    }
}
