import Synchronization
import SyncProtocol

/// A group of units in one write transaction on a connection the store holds (`SyncStore.writeGroup`).
/// Units read through an in-memory overlay (loaded in bulk by `prefetch`, or one read at a time
/// when a unit needs something else) and write into it; `flush` then writes everything in a few
/// multi-row statements. Undoing a unit restores the overlay as it was before the unit ran, so
/// nothing a failed unit wrote ever reaches the database.
///
/// A store whose write transaction does not lock at `BEGIN` gives the group its `claimKeys` and
/// `lockTenants` steps: claims first (they never wait), then the tenants' locks, taken before
/// the group's first read or write.
final class StagedGroupTransaction<Connection: SQLExecutor>: SyncGroupTransaction {
    let connection: Connection
    private let tenants: Set<String>
    /// Reserves `count` change-log positions, each above every position of the database.
    private let reserve: @Sendable (Connection, Int) async throws -> [Int64]
    /// Claims idempotency keys without waiting; returns those another process holds.
    private let claimKeys: (@Sendable (Connection, [StoredIdempotencyKey]) async throws -> Set<StoredIdempotencyKey>)?
    /// Takes the tenants' locks (waiting for them), then reserves as many change-log positions as
    /// it is given (none for 0) and returns them: one statement where the store can.
    private let lockTenants: (@Sendable (Connection, Int) async throws -> [Int64])?
    /// Whether the group has begun to read or write (after its tenants' locks, where it takes them).
    private let hasBegun = Atomic<Bool>(false)
    let state = Mutex(StagedState())
    private let isOpen = Atomic<Bool>(true)
    private let unitRunning = Atomic<Bool>(false)
    private let changeBudget = Atomic<Int>(0)

    init(connection: Connection, tenants: [String], reserve: @escaping @Sendable (Connection, Int) async throws -> [Int64],
         claimKeys: (@Sendable (Connection, [StoredIdempotencyKey]) async throws -> Set<StoredIdempotencyKey>)? = nil,
         lockTenants: (@Sendable (Connection, Int) async throws -> [Int64])? = nil) {
        self.connection = connection
        self.tenants = Set(tenants)
        self.reserve = reserve
        self.claimKeys = claimKeys
        self.lockTenants = lockTenants
    }

    /// The changes the committed units appended, in position order.
    var changes: [ChangeEntry] { state.withLock { $0.changes } }

    /// Called by the store before it commits or rolls back: units can no longer run.
    func finish() {
        isOpen.store(false, ordering: .sequentiallyConsistent)
    }

    func claim(_ keys: [StoredIdempotencyKey]) async throws -> Set<StoredIdempotencyKey> {
        try check("claim")
        guard let claimKeys else { return [] }
        return try await claimKeys(connection, keys.filter { tenants.contains($0.tenant) })
    }

    func prefetch(_ keys: WritePrefetch) async throws {
        try check("prefetch")
        changeBudget.store(max(0, keys.changeBudget), ordering: .relaxed)
        try await lock()
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
        try await lock()
        state.withLock { $0.beginUnit() }
        let unit = StagedUnit(group: self, tenant: tenant)
        defer { unit.finish() }
        do {
            let value = try await body(unit)
            state.withLock { $0.endUnit(keeping: true) }
            return value
        } catch {
            state.withLock { $0.endUnit(keeping: false) }
            throw error
        }
    }

    /// Writes everything the units wrote, in bulk.
    func flush() async throws {
        // A group that never read nor wrote (each of its batches was answered from its claims)
        // has nothing to write and never waited for its tenants.
        guard hasBegun.load(ordering: .sequentiallyConsistent) else { return }
        try await StoreQueries.flush(state.withLock { $0 }, on: connection)
    }

    /// Takes the tenants' locks once, before the group's first read or write, with the positions
    /// the budget known by then asks for. A group whose locks could not be taken can do nothing more.
    private func lock() async throws {
        guard !hasBegun.exchange(true, ordering: .sequentiallyConsistent), let lockTenants else { return }
        do {
            let block = try await lockTenants(connection, changeBudget.load(ordering: .relaxed))
            state.withLock { $0.reserved = ArraySlice(block.sorted()) }
        } catch {
            finish()
            throw error
        }
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
