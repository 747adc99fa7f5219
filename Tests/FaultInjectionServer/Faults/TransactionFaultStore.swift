import SyncServer

/// A store whose write transactions are wrapped by `wrap`, for the faults that break what one
/// transaction writes (the engine's pushes, review resolutions and seeds all write through one).
struct TransactionFaultStore: SyncStoreDecorator {
    let base: any SyncStore
    /// Wraps each write transaction the engine is given.
    let wrap: @Sendable (any SyncWriteTransaction) -> any SyncWriteTransaction

    func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await base.write(tenant: tenant) { transaction in try await body(wrap(transaction)) }
    }
}
