import SyncProtocol
import SyncServer

/// `replay-not-marked` breaks IDEM-4 (same key, same payload replays): a replayed batch is
/// answered with its stored result but `replayed: false`, so REST also omits the
/// `Idempotent-Replayed: true` header (the flag is dropped when results are copied out of the
/// cache).
struct ReplayNotMarked: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { ReplayNotMarked(base: $0) })

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        var result = try await base.push(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId)
        result.replayed = false
        return result
    }
}
