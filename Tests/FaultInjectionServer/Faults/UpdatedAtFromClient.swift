import SyncProtocol
import SyncServer

/// `updated-at-from-client` breaks REC-4 (`updated_at` is server time, the client's timestamp is
/// kept apart): records and changes carry the writer's client timestamp as `updated_at`.
enum UpdatedAtFromClient {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { TransactionFaultStore(base: $0, wrap: { Transaction(base: $0) }) })

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction

        func saveRecord(_ record: StoredRecord) async throws {
            try await base.saveRecord(clientTimed(record))
        }

        func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
            try await base.appendChange(op: op, record: clientTimed(record), originDevice: originDevice)
        }

        private func clientTimed(_ record: StoredRecord) -> StoredRecord {
            var record = record
            record.updatedAt = record.clientTime
            return record
        }
    }
}
