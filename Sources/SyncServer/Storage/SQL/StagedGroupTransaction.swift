import Synchronization
import SyncProtocol

/// A group of units in one write transaction on a connection the store holds (`SyncStore.writeGroup`).
/// Units read through an in-memory overlay (loaded in bulk by `prefetch`, or one read at a time
/// when a unit needs something else) and write into it; `flush` then writes everything in a few
/// multi-row statements. Undoing a unit restores the overlay as it was before the unit ran, so
/// nothing a failed unit wrote ever reaches the database.
final class StagedGroupTransaction<Connection: SQLExecutor>: SyncGroupTransaction {
    let connection: Connection
    private let tenants: Set<String>
    /// Reserves `count` change-log positions, each above every position of the database.
    private let reserve: @Sendable (Connection, Int) async throws -> [Int64]
    let state = Mutex(StagedState())
    private let isOpen = Atomic<Bool>(true)
    private let unitRunning = Atomic<Bool>(false)
    private let changeBudget = Atomic<Int>(0)

    init(connection: Connection, tenants: [String], reserve: @escaping @Sendable (Connection, Int) async throws -> [Int64]) {
        self.connection = connection
        self.tenants = Set(tenants)
        self.reserve = reserve
    }

    /// The changes the committed units appended, in position order.
    var changes: [ChangeEntry] { state.withLock { $0.changes } }

    /// Called by the store before it commits or rolls back: units can no longer run.
    func finish() {
        isOpen.store(false, ordering: .sequentiallyConsistent)
    }

    func prefetch(_ keys: WritePrefetch) async throws {
        try check("prefetch")
        changeBudget.store(max(0, keys.changeBudget), ordering: .relaxed)
        // What a unit already read or wrote stays; what the database lacks is known to be absent.
        let recordKeys = keys.records.filter { tenants.contains($0.tenant) }
        let deviceKeys = keys.devices.filter { tenants.contains($0.tenant) }
        let entryKeys = keys.idempotencyKeys.filter { tenants.contains($0.tenant) }
        let records = try await StoreQueries.records(on: connection, recordKeys)
        let devices = try await StoreQueries.deviceStates(on: connection, deviceKeys)
        let entries = try await StoreQueries.idempotencyEntries(on: connection, entryKeys)
        state.withLock { state in
            for key in recordKeys where state.records[key] == nil { state.records[key] = .some(records[key]) }
            for key in deviceKeys where state.devices[key] == nil {
                state.devices[key] = devices[key] ?? DeviceState(lastSeq: 0, ackedPosition: nil)
            }
            for key in entryKeys where state.idempotency[key] == nil { state.idempotency[key] = .some(entries[key]) }
        }
    }

    func unit<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try check("unit")
        guard tenants.contains(tenant) else { throw StoreError(.otherTenant, operation: "unit") }
        guard !unitRunning.exchange(true, ordering: .sequentiallyConsistent) else {
            throw StoreError(.nestedWrite, operation: "unit")
        }
        defer { unitRunning.store(false, ordering: .sequentiallyConsistent) }
        let before = state.withLock { $0 }
        let unit = StagedUnit(group: self, tenant: tenant)
        defer { unit.finish() }
        do {
            return try await body(unit)
        } catch {
            state.withLock { $0 = before }
            throw error
        }
    }

    /// Writes everything the units wrote, in bulk.
    func flush() async throws {
        try await StoreQueries.flush(state.withLock { $0 }, on: connection)
    }

    func check(_ operation: String) throws {
        guard isOpen.load(ordering: .sequentiallyConsistent) else { throw StoreError(.transactionFinished, operation: operation) }
    }

    /// The next reserved change-log position, reserving a block when none is left.
    func nextPosition() async throws -> Int64 {
        if let position = state.withLock({ $0.reserved.popFirst() }) { return position }
        let block = try await reserve(connection, max(1, changeBudget.load(ordering: .relaxed)))
        guard block.count > 0 else { throw StoreError(.database, operation: "appendChange", engineReason: "no position reserved") }
        var sorted = ArraySlice(block.sorted())
        let first = sorted.removeFirst()
        state.withLock { $0.reserved = sorted }
        return first
    }
}
