/// Several independent units of work (such as pushes of different devices and tenants) committed
/// together: one database transaction and one commit for all of them (group commit). Each unit
/// is still all or nothing on its own: a unit that throws leaves nothing behind, and the units
/// after it go on. Units run one after the other, in the order the caller runs them, and each
/// sees what the units before it wrote.
public protocol SyncGroupTransaction: Sendable {
    /// Claims the idempotency keys of the batches about to run, against every other process on
    /// the same database, until the group's transaction ends (IDEM-6 across nodes). Call it before
    /// anything else: it never waits, and it returns the keys that another process's write
    /// transaction holds at this moment (their batches are in flight there), which the caller
    /// must answer without running. A store that one process owns returns none: that process's
    /// own claims cover it.
    func claim(_ keys: [StoredIdempotencyKey]) async throws -> Set<StoredIdempotencyKey>

    /// Loads what the units are about to read in a few statements instead of one per read. Only
    /// a hint: a unit reads anything else it needs as it goes.
    func prefetch(_ keys: WritePrefetch) async throws

    /// Runs `body` as one unit of `tenant`, which the group must have been opened for. When
    /// `body` throws, its writes are discarded and the error passes through.
    func unit<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T
}

/// What a group's units will read, so that the group can load it in bulk.
public struct WritePrefetch: Sendable {
    /// Records, as (tenant, collection, id).
    public var records: [StoredRecordKey] = []
    /// Devices whose state will be read, as (tenant, device).
    public var devices: [StoredDeviceKey] = []
    /// Idempotency entries, as (tenant, device, key).
    public var idempotencyKeys: [StoredIdempotencyKey] = []
    /// How many changes the units may append at most (a group reserves change-log positions in
    /// blocks of this size).
    public var changeBudget = 0

    /// Nothing to prefetch.
    public init() {}
}

/// A record's key.
public struct StoredRecordKey: Sendable, Hashable {
    public var tenant: String
    public var collection: String
    public var id: String

    /// Creates a key.
    public init(tenant: String, collection: String, id: String) {
        self.tenant = tenant
        self.collection = collection
        self.id = id
    }
}

/// A device's key.
public struct StoredDeviceKey: Sendable, Hashable {
    public var tenant: String
    public var device: String

    /// Creates a key.
    public init(tenant: String, device: String) {
        self.tenant = tenant
        self.device = device
    }
}

/// An idempotency entry's key.
public struct StoredIdempotencyKey: Sendable, Hashable {
    public var tenant: String
    public var device: String
    public var key: String

    /// Creates a key.
    public init(tenant: String, device: String, key: String) {
        self.tenant = tenant
        self.device = device
        self.key = key
    }
}

extension SyncStore {
    /// Stores that do not group writes run each unit in a `write(tenant:)` transaction of its own.
    public var writeGroupConcurrency: Int { 0 }

    public func writeGroup<T: Sendable>(tenants: [String], _ body: @Sendable (any SyncGroupTransaction) async throws -> T) async throws -> T {
        try await body(UngroupedTransaction(store: self, tenants: Set(tenants)))
    }
}

/// The units of a store that does not group writes: each its own transaction.
private struct UngroupedTransaction: SyncGroupTransaction {
    let store: any SyncStore
    let tenants: Set<String>

    func claim(_ keys: [StoredIdempotencyKey]) async throws -> Set<StoredIdempotencyKey> { [] }

    func prefetch(_ keys: WritePrefetch) async throws {}

    func unit<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        guard tenants.contains(tenant) else { throw StoreError(.otherTenant, operation: "unit") }
        return try await store.write(tenant: tenant, body)
    }
}
