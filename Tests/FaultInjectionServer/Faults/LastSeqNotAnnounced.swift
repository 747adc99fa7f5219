import SyncProtocol
import SyncServer

/// `last-seq-not-announced` breaks SEQ-5 (the welcome announces the device's last applied
/// sequence number): every welcome says 0, so a reinstalled client would start over and have
/// its first pushes taken for duplicates.
struct LastSeqNotAnnounced: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { LastSeqNotAnnounced(base: $0) })

    func welcome(_ principal: Principal, hello: HelloMessage, sessionId: String) async throws(ServiceError) -> WelcomeMessage {
        var welcome = try await base.welcome(principal, hello: hello, sessionId: sessionId)
        welcome.lastSeq = 0
        return welcome
    }
}
