import SyncProtocol
import SyncServer

/// `clock-not-moved` breaks TEST-5 (the tenant's clock): setting or advancing the clock answers
/// with the tenant's current time and changes nothing, so expiry and clamping never see the
/// time a vector asked for.
struct ClockNotMoved: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { ClockNotMoved(base: $0) })

    func setClock(_ principal: Principal, _ request: ClockRequest) async throws(ServiceError) -> ClockState {
        try await base.clock(principal)
    }
}
