import SyncProtocol
import SyncServer

/// `deleted-keeps-fields` breaks REC-6 (a delete leaves a tombstone with empty fields): the
/// tombstone is stored, and its change logged, with the fields the record had before the delete.
enum DeletedKeepsFields {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { TransactionFaultStore(base: $0, wrap: { Transaction(base: $0) }) })

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction

        func saveRecord(_ record: StoredRecord) async throws {
            try await base.saveRecord(await keepingFields(record))
        }

        func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
            try await base.appendChange(op: op, record: await keepingFields(record), originDevice: originDevice)
        }

        /// The tombstone with the fields of the stored record: the live one it replaces when the
        /// engine saves it, the tombstone saved with them when it then logs the change.
        private func keepingFields(_ record: StoredRecord) async throws -> StoredRecord {
            guard record.deleted, let before = try await base.record(tenant: record.tenant, collection: record.collection, id: record.id) else {
                return record
            }
            var record = record
            record.fields = before.fields
            return record
        }
    }
}
