/// Database-wide totals for `/metrics`, on a read connection.
extension SQLiteSyncStore: OperationalTotalsStore {
    public func operationalTotals(since: Int64, until: Int64) async throws -> OperationalTotals {
        try await read { try await StoreQueries.operationalTotals(on: $0, since: since, until: until) }
    }
}
