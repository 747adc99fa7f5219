import Synchronization
@testable import SyncServer
import SyncProtocol

/// A `SyncStore` in memory, for engine tests without a database. A write transaction works on a
/// copy of the state and replaces the state only when its body returns, so a throwing body
/// leaves nothing behind, like a database rollback.
final class InMemorySyncStore: SyncStore {
    struct State: Sendable {
        var records: [String: StoredRecord] = [:]
        var changes: [(tenant: String, entry: ChangeEntry)] = []
        var nextPosition: Int64 = 1
        var devices: [String: DeviceState] = [:]
        var results: [String: MutationResult] = [:]
        var idempotency: [String: IdempotencyEntry] = [:]
        var audit: [StoredAuditEntry] = []
        var nextAuditId: Int64 = 1
        var reviews: [String: [ReviewItem]] = [:]
        var policies: [String: TenantPolicies] = [:]
        /// Health and analytics, keyed by tenant (see `InMemorySyncStore+Health.swift`).
        var health: [String: TenantHealth] = [:]
    }

    final class Transaction: SyncWriteTransaction, @unchecked Sendable {
        // Only the one task running the transaction body touches `state` (the store's lock).
        var state: State
        init(state: State) { self.state = state }

        func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
            state.records[key(tenant, collection, id)]
        }
        func saveRecord(_ record: StoredRecord) async throws {
            state.records[key(record.tenant, record.collection, record.id)] = record
        }
        func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
            let position = state.nextPosition
            state.nextPosition += 1
            state.changes.append((record.tenant, ChangeEntry(position: position, op: op, record: record, originDevice: originDevice)))
            return position
        }
        func latestPosition(tenant: String) async throws -> Int64 {
            state.changes.last { $0.tenant == tenant }?.entry.position ?? 0
        }
        func deviceState(tenant: String, device: String) async throws -> DeviceState {
            state.devices[key(tenant, device)] ?? DeviceState(lastSeq: 0, ackedPosition: nil)
        }
        func setLastSeq(tenant: String, device: String, seq: Int64) async throws {
            state.devices[key(tenant, device), default: DeviceState(lastSeq: 0, ackedPosition: nil)].lastSeq = seq
        }
        func mutationResult(tenant: String, device: String, seq: Int64) async throws -> MutationResult? {
            state.results[key(tenant, device, String(seq))]
        }
        func saveMutationResult(tenant: String, device: String, result: MutationResult) async throws {
            state.results[key(tenant, device, String(result.seq))] = result
        }
        func idempotency(tenant: String, device: String, key idempotencyKey: String) async throws -> IdempotencyEntry? {
            state.idempotency[key(tenant, device, idempotencyKey)]
        }
        func saveIdempotency(tenant: String, device: String, _ entry: IdempotencyEntry) async throws {
            state.idempotency[key(tenant, device, entry.key)] = entry
        }
        func appendAudit(_ entry: ConflictAuditEntry) async throws {
            state.audit.append(StoredAuditEntry(id: state.nextAuditId, entry: entry))
            state.nextAuditId += 1
        }
        func review(tenant: String, id: String) async throws -> ReviewItem? {
            state.reviews[tenant]?.first { $0.reviewId == id }
        }
        func saveReview(tenant: String, _ review: ReviewItem) async throws {
            if let index = state.reviews[tenant]?.firstIndex(where: { $0.reviewId == review.reviewId }) {
                state.reviews[tenant]?[index] = review
            } else {
                state.reviews[tenant, default: []].append(review)
            }
        }
    }

    let state = Mutex(State())
    private let lock = CommitSequencer()
    /// Awaited at the start of every write body, so a test can hold a batch "in flight".
    let gate = Mutex<(@Sendable () async -> Void)?>(nil)
    /// Makes the next write fail after its body ran, like a crash before commit.
    let failNextCommit = Atomic<Bool>(false)

    func migrate() async throws {}

    /// Every tenant's transactions take turns, as on SQLite; `tenant` is not checked.
    func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await lock.run {
            if let gate = self.gate.withLock({ $0 }) { await gate() }
            let transaction = Transaction(state: state.withLock { $0 })
            let value = try await body(transaction)
            if failNextCommit.exchange(false, ordering: .relaxed) { throw StoreFailure() }
            state.withLock { $0 = transaction.state }
            return value
        }
    }

    var snapshot: State { state.withLock { $0 } }

    func changes(tenant: String, after position: Int64, limit: Int, collections: Set<String>?) async throws -> [ChangeEntry] {
        Array(snapshot.changes.filter { $0.tenant == tenant && $0.entry.position > position && (collections?.contains($0.entry.record.collection) ?? true) }
            .map(\.entry).prefix(limit))
    }
    func latestPosition(tenant: String) async throws -> Int64 {
        snapshot.changes.last { $0.tenant == tenant }?.entry.position ?? 0
    }
    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        snapshot.records[key(tenant, collection, id)]
    }
    func deviceState(tenant: String, device: String) async throws -> DeviceState {
        snapshot.devices[key(tenant, device)] ?? DeviceState(lastSeq: 0, ackedPosition: nil)
    }
    func acknowledge(tenant: String, device: String, position: Int64) async throws {
        state.withLock { $0.devices[key(tenant, device), default: DeviceState(lastSeq: 0, ackedPosition: nil)].ackedPosition = position }
    }
    func idempotency(tenant: String, device: String, key idempotencyKey: String) async throws -> IdempotencyEntry? {
        snapshot.idempotency[key(tenant, device, idempotencyKey)]
    }
    func purgeIdempotency(before cutoff: Int64) async throws -> Int {
        state.withLock { state in
            let old = state.idempotency.filter { $0.value.createdAt < cutoff }.map(\.key)
            for key in old { state.idempotency.removeValue(forKey: key) }
            return old.count
        }
    }
    func policies(tenant: String) async throws -> TenantPolicies? { snapshot.policies[tenant] }
    func setPolicies(tenant: String, _ policies: TenantPolicies) async throws { state.withLock { $0.policies[tenant] = policies } }
    func reviews(tenant: String, status: ReviewStatus?, collection: String?, after afterId: String?, limit: Int) async throws -> [ReviewItem] {
        var items = (snapshot.reviews[tenant] ?? []).filter { (status == nil || $0.status == status) && (collection == nil || $0.collection == collection) }
        if let afterId, let index = items.firstIndex(where: { $0.reviewId == afterId }) { items = Array(items[(index + 1)...]) }
        return Array(items.prefix(limit))
    }
    func review(tenant: String, id: String) async throws -> ReviewItem? {
        snapshot.reviews[tenant]?.first { $0.reviewId == id }
    }
    func auditLog(tenant: String, collection: String?, recordId: String?, after afterId: Int64, limit: Int) async throws -> [StoredAuditEntry] {
        let entries = snapshot.audit.filter {
            $0.entry.tenant == tenant && $0.id > afterId && (collection == nil || $0.entry.collection == collection)
                && (recordId == nil || $0.entry.recordId == recordId)
        }
        return Array(entries.prefix(max(0, limit)))
    }
    func resetTenant(_ tenant: String) async throws {
        state.withLock { state in
            state.records = state.records.filter { $0.value.tenant != tenant }
            state.changes.removeAll { $0.tenant == tenant }
            state.devices = state.devices.filter { !$0.key.hasPrefix(tenant + "\u{0}") }
            state.results = state.results.filter { !$0.key.hasPrefix(tenant + "\u{0}") }
            state.idempotency = state.idempotency.filter { !$0.key.hasPrefix(tenant + "\u{0}") }
            state.audit.removeAll { $0.entry.tenant == tenant }
            state.reviews[tenant] = nil
            state.policies[tenant] = nil
            state.health[tenant] = nil
        }
    }
    func cursorKey() async throws -> [UInt8] { EngineHarness.cursorKey }
}

struct StoreFailure: Error {}

private func key(_ parts: String...) -> String { parts.joined(separator: "\u{0}") }
