import Synchronization
import SyncProtocol

/// The operations of one write transaction of one tenant, on the connection the transaction
/// holds. It refuses to work once the transaction has committed or rolled back, so a transaction
/// that escaped its `write` body cannot write outside of it, and it refuses to touch another
/// tenant, whose writes it is not serialised with.
final class SQLWriteTransaction<Connection: SQLExecutor>: SyncWriteTransaction {
    private let connection: Connection
    private let tenant: String
    private let isOpen = Atomic<Bool>(true)
    private let positions = Mutex<ClosedRange<Int64>?>(nil)

    /// The lowest and highest change-log positions this transaction appended, if any.
    var appendedPositions: ClosedRange<Int64>? { positions.withLock { $0 } }

    init(connection: Connection, tenant: String) {
        self.connection = connection
        self.tenant = tenant
    }

    /// Called by `write` before it commits or rolls back.
    func finish() {
        isOpen.store(false, ordering: .sequentiallyConsistent)
    }

    private func open(_ operation: String, tenant: String) throws -> Connection {
        guard isOpen.load(ordering: .sequentiallyConsistent) else {
            throw StoreError(.transactionFinished, operation: operation)
        }
        guard tenant == self.tenant else {
            throw StoreError(.otherTenant, operation: operation)
        }
        return connection
    }

    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        try await StoreQueries.record(on: open("record", tenant: tenant), tenant: tenant, collection: collection, id: id)
    }

    func saveRecord(_ record: StoredRecord) async throws {
        try await StoreQueries.saveRecord(on: open("saveRecord", tenant: record.tenant), record)
    }

    func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
        let position = try await StoreQueries.appendChange(on: open("appendChange", tenant: record.tenant), op: op, record: record,
                                                           originDevice: originDevice)
        positions.withLock { $0 = $0.spanning(position) }
        return position
    }

    func latestPosition(tenant: String) async throws -> Int64 {
        try await StoreQueries.latestPosition(on: open("latestPosition", tenant: tenant), tenant: tenant)
    }

    func deviceState(tenant: String, device: String) async throws -> DeviceState {
        try await StoreQueries.deviceState(on: open("deviceState", tenant: tenant), tenant: tenant, device: device)
    }

    func setLastSeq(tenant: String, device: String, seq: Int64) async throws {
        try await StoreQueries.setLastSeq(on: open("setLastSeq", tenant: tenant), tenant: tenant, device: device, seq: seq)
    }

    func mutationResult(tenant: String, device: String, seq: Int64) async throws -> MutationResult? {
        try await StoreQueries.mutationResult(on: open("mutationResult", tenant: tenant), tenant: tenant, device: device, seq: seq)
    }

    func saveMutationResult(tenant: String, device: String, result: MutationResult) async throws {
        try await StoreQueries.saveMutationResult(on: open("saveMutationResult", tenant: tenant), tenant: tenant, device: device, result: result)
    }

    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        try await StoreQueries.idempotency(on: open("idempotency", tenant: tenant), tenant: tenant, device: device, key: key)
    }

    func saveIdempotency(tenant: String, device: String, _ entry: IdempotencyEntry) async throws {
        try await StoreQueries.saveIdempotency(on: open("saveIdempotency", tenant: tenant), tenant: tenant, device: device, entry)
    }

    func appendAudit(_ entry: ConflictAuditEntry) async throws {
        try await StoreQueries.appendAudit(on: open("appendAudit", tenant: entry.tenant), entry)
    }

    func review(tenant: String, id: String) async throws -> ReviewItem? {
        try await StoreQueries.review(on: open("review", tenant: tenant), tenant: tenant, id: id)
    }

    func saveReview(tenant: String, _ review: ReviewItem) async throws {
        try await StoreQueries.saveReview(on: open("saveReview", tenant: tenant), tenant: tenant, review)
    }
}

extension Optional<ClosedRange<Int64>> {
    /// The smallest range holding this one (if any) and `position`: the positions a transaction
    /// appended, as its notification announces them.
    func spanning(_ position: Int64) -> ClosedRange<Int64> {
        guard let range = self else { return position...position }
        return min(range.lowerBound, position)...max(range.upperBound, position)
    }
}
