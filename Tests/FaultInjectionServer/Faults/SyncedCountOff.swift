import SyncProtocol
import SyncServer

/// `synced-count-off` breaks RES-3 (synced and failed counts): the batch result counts one
/// mutation too many as synced, so `synced + failed` no longer equals the number of results.
struct SyncedCountOff: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { SyncedCountOff(base: $0) })

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        var result = try await base.push(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId)
        result.synced += 1
        return result
    }
}
