import SyncProtocol
import SyncServer

/// `key-reuse-reapplied` breaks IDEM-5 (the same key with another payload is refused): a batch
/// whose key was used for a different payload is applied under a fresh key instead of being
/// refused with `idempotency_key_reused` (422).
struct KeyReuseReapplied: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { KeyReuseReapplied(base: $0) })

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        do {
            return try await base.push(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId)
        } catch where error.code == .idempotencyKeyReused {
            return try await base.push(principal, idempotencyKey: idempotencyKey + "-again", mutations: mutations, sessionId: sessionId)
        }
    }
}
