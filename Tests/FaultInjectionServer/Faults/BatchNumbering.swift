import SyncProtocol
import SyncServer

/// The first sequence number of the push being processed, as the sequence faults see it inside
/// the store's write transaction (the engine reads the device's state there, not the batch).
enum BatchNumbering {
    /// The first `seq` of the batch the current task is pushing; `nil` outside a push.
    @TaskLocal static var firstSeq: Int64?
}

/// Makes each push's first sequence number known to the store decorators of the sequence faults.
struct BatchNumberingService: SyncServiceDecorator {
    let base: any SyncService

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        let outcome: Result<PushResult, ServiceError> = await BatchNumbering.$firstSeq.withValue(mutations.first?.seq) {
            do throws(ServiceError) {
                return .success(try await base.push(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}

/// A store whose write transactions report the device's last sequence number through `rule`,
/// given the stored one and the batch's first.
struct BatchNumberingStore: SyncStoreDecorator {
    let base: any SyncStore
    /// The last sequence number the engine is told, from the stored one and the batch's first.
    let rule: @Sendable (_ stored: Int64, _ firstSeq: Int64) -> Int64

    func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await base.write(tenant: tenant) { transaction in try await body(Transaction(base: transaction, rule: rule)) }
    }

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction
        let rule: @Sendable (Int64, Int64) -> Int64

        func deviceState(tenant: String, device: String) async throws -> DeviceState {
            var state = try await base.deviceState(tenant: tenant, device: device)
            if let first = BatchNumbering.firstSeq { state.lastSeq = rule(state.lastSeq, first) }
            return state
        }
    }
}
