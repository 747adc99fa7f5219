import SyncServer

/// `ack-ignored` breaks ACK-1 (the acknowledged cursor is stored before answering) and so ACK-3:
/// `ack` and `ackCursor` echo the cursor but the store never writes it (a write whose statement
/// is built and never run), so `getCursor` and `welcome.resume_cursor` never return it.
struct AckIgnored: SyncStoreDecorator {
    let base: any SyncStore

    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { AckIgnored(base: $0) })

    func acknowledge(tenant: String, device: String, position: Int64) async throws {}
}
