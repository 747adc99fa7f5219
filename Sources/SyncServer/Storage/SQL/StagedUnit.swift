import Synchronization
import SyncProtocol

/// One unit of a `StagedGroupTransaction`: the operations of a write transaction of one tenant,
/// read from and written into the group's overlay. Like `SQLWriteTransaction`, it refuses other
/// tenants and refuses to work once its unit has ended.
final class StagedUnit<Connection: SQLExecutor>: SyncWriteTransaction {
    private let group: StagedGroupTransaction<Connection>
    private let tenant: String
    private let isOpen = Atomic<Bool>(true)

    init(group: StagedGroupTransaction<Connection>, tenant: String) {
        self.group = group
        self.tenant = tenant
    }

    func finish() {
        isOpen.store(false, ordering: .sequentiallyConsistent)
    }

    private func open(_ operation: String, tenant: String) throws -> Connection {
        guard isOpen.load(ordering: .sequentiallyConsistent) else { throw StoreError(.transactionFinished, operation: operation) }
        try group.check(operation)
        guard tenant == self.tenant else { throw StoreError(.otherTenant, operation: operation) }
        return group.connection
    }

    /// What the overlay holds at `key` in `table`, else what `load` reads, kept in the overlay.
    private func cached<Key: Hashable & Sendable, Value: Sendable>(_ table: WritableKeyPath<StagedState, [Key: Value]>, _ key: Key,
                                              load: () async throws -> Value) async throws -> Value {
        if let known = group.state.withLock({ $0[keyPath: table][key] }) { return known }
        let loaded = try await load()
        group.state.withLock { $0[keyPath: table][key] = loaded }
        return loaded
    }

    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        let connection = try open("record", tenant: tenant)
        return try await cached(\.records, StoredRecordKey(tenant: tenant, collection: collection, id: id)) {
            try await StoreQueries.record(on: connection, tenant: tenant, collection: collection, id: id)
        }
    }

    func saveRecord(_ record: StoredRecord) async throws {
        _ = try open("saveRecord", tenant: record.tenant)
        let key = StoredRecordKey(tenant: record.tenant, collection: record.collection, id: record.id)
        group.state.withLock { state in
            state.setRecord(key, record)
            state.recordWrites.add(key)
        }
    }

    func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
        _ = try open("appendChange", tenant: record.tenant)
        let position = try await group.nextPosition()
        group.state.withLock { state in
            state.changes.append(ChangeEntry(position: position, op: op, record: record, originDevice: originDevice))
            state.setLatest(record.tenant, max(state.latest[record.tenant] ?? 0, position))
        }
        return position
    }

    func latestPosition(tenant: String) async throws -> Int64 {
        let connection = try open("latestPosition", tenant: tenant)
        if let known = group.state.withLock({ $0.latest[tenant] }) { return known }
        let stored = try await StoreQueries.latestPosition(on: connection, tenant: tenant)
        return group.state.withLock { state in
            let latest = max(state.latest[tenant] ?? 0, stored)
            state.setLatest(tenant, latest)
            return latest
        }
    }

    func deviceState(tenant: String, device: String) async throws -> DeviceState {
        let connection = try open("deviceState", tenant: tenant)
        return try await cached(\.devices, StoredDeviceKey(tenant: tenant, device: device)) {
            try await StoreQueries.deviceState(on: connection, tenant: tenant, device: device)
        }
    }

    func setLastSeq(tenant: String, device: String, seq: Int64) async throws {
        let current = try await deviceState(tenant: tenant, device: device)
        let key = StoredDeviceKey(tenant: tenant, device: device)
        group.state.withLock { state in
            state.setDevice(key, DeviceState(lastSeq: seq, ackedPosition: current.ackedPosition))
            state.deviceWrites.add(key)
        }
    }

    func mutationResult(tenant: String, device: String, seq: Int64) async throws -> MutationResult? {
        let connection = try open("mutationResult", tenant: tenant)
        let key = StagedState.ResultKey(tenant: tenant, device: device, seq: seq)
        if let known = group.state.withLock({ $0.results[key] }) { return known }
        return try await StoreQueries.mutationResult(on: connection, tenant: tenant, device: device, seq: seq)
    }

    func saveMutationResult(tenant: String, device: String, result: MutationResult) async throws {
        _ = try open("saveMutationResult", tenant: tenant)
        let key = StagedState.ResultKey(tenant: tenant, device: device, seq: result.seq)
        group.state.withLock { state in
            state.setResult(key, result)
            state.resultWrites.add(key)
        }
    }

    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        let connection = try open("idempotency", tenant: tenant)
        return try await cached(\.idempotency, StoredIdempotencyKey(tenant: tenant, device: device, key: key)) {
            try await StoreQueries.idempotency(on: connection, tenant: tenant, device: device, key: key)
        }
    }

    func saveIdempotency(tenant: String, device: String, _ entry: IdempotencyEntry) async throws {
        _ = try open("saveIdempotency", tenant: tenant)
        let key = StoredIdempotencyKey(tenant: tenant, device: device, key: entry.key)
        group.state.withLock { state in
            state.setIdempotency(key, entry)
            state.idempotencyWrites.add(key)
        }
    }

    func appendAudit(_ entry: ConflictAuditEntry) async throws {
        _ = try open("appendAudit", tenant: entry.tenant)
        group.state.withLock { $0.audits.append(entry) }
    }

    func review(tenant: String, id: String) async throws -> ReviewItem? {
        let connection = try open("review", tenant: tenant)
        if let known = group.state.withLock({ $0.reviews[StagedState.ReviewKey(tenant: tenant, id: id)] }) { return known }
        return try await StoreQueries.review(on: connection, tenant: tenant, id: id)
    }

    func saveReview(tenant: String, _ review: ReviewItem) async throws {
        _ = try open("saveReview", tenant: tenant)
        let key = StagedState.ReviewKey(tenant: tenant, id: review.reviewId)
        group.state.withLock { state in
            state.setReview(key, review)
            state.reviewWrites.add(key)
        }
    }
}
