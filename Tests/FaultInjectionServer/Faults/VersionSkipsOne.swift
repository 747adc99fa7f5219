import SyncServer

/// `version-skips-one` breaks REC-2 (a record's version counts its accepted changes): every
/// record is stored one version ahead of the change that wrote it, so versions jump by two and
/// a client basing its next update on the version it was told meets a conflict.
enum VersionSkipsOne {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { TransactionFaultStore(base: $0, wrap: { Transaction(base: $0) }) })

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction

        func saveRecord(_ record: StoredRecord) async throws {
            var record = record
            record.version += 1
            try await base.saveRecord(record)
        }
    }
}
