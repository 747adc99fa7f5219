import SyncServer

/// `reset-keeps-records` breaks TEST-3 (reset erases all of the tenant's state): the reset
/// endpoint answers success but the store erases nothing, so records, sequences and cursors of
/// before the reset are still there.
struct ResetKeepsRecords: SyncStoreDecorator {
    let base: any SyncStore

    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { ResetKeepsRecords(base: $0) })

    func resetTenant(_ tenant: String) async throws {}
}
