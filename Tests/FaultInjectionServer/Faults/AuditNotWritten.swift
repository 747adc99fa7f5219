import SyncServer

/// `audit-not-written` breaks CONF-13 (every conflict and its resolution is in the audit log):
/// the push resolves conflicts as it should, but its audit entries are never written.
enum AuditNotWritten {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { TransactionFaultStore(base: $0, wrap: { Transaction(base: $0) }) })

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction

        func appendAudit(_ entry: ConflictAuditEntry) async throws {}
    }
}
