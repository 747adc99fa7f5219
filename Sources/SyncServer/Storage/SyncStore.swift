public import SyncProtocol

/// Durable storage of the sync server. Everything is scoped by tenant: no method returns another
/// tenant's data. Implementations: SQLite now, PostgreSQL later; both must pass the same store
/// test suite, so keep semantics portable (no engine-specific behaviour leaks through).
public protocol SyncStore: HealthStore {
    /// Creates or upgrades the schema (versioned migrations, idempotent).
    func migrate() async throws

    /// Runs `body` in one atomic write transaction of `tenant`: everything it wrote is committed
    /// together when it returns, and nothing is when it throws. Write transactions of one tenant
    /// never interleave, also across processes sharing the database, so a transaction may read,
    /// decide and write without another one changing what it read; those of different tenants
    /// may run concurrently. The transaction refuses (`otherTenant`) to touch another tenant.
    func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T

    /// How many group transactions (`writeGroup`) are worth running at the same time; 0 for a
    /// store that does not commit units together, whose `writeGroup` runs each unit in a
    /// `write(tenant:)` transaction of its own (the default).
    var writeGroupConcurrency: Int { get }

    /// Runs `body` with one write transaction for `tenants` (each serialised as `write(tenant:)`
    /// serialises it) in which it runs units of work, committed together when `body` returns.
    /// A unit that throws leaves nothing behind; when `body` or the commit fails, no unit is
    /// committed.
    func writeGroup<T: Sendable>(tenants: [String], _ body: @Sendable (any SyncGroupTransaction) async throws -> T) async throws -> T

    /// Changes of `tenant` after `position`, in position order, at most `limit`, optionally only
    /// of `collections`.
    func changes(tenant: String, after position: Int64, limit: Int, collections: Set<String>?) async throws -> [ChangeEntry]

    /// The highest change-log position of `tenant` (0 when it has none).
    func latestPosition(tenant: String) async throws -> Int64

    /// A record, tombstones included; `nil` when it never existed in this tenant.
    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord?

    /// What the server remembers about a device (zeroes for an unknown device).
    func deviceState(tenant: String, device: String) async throws -> DeviceState

    /// Stores the device's acknowledged position (last write wins, even backwards: ACK-1).
    func acknowledge(tenant: String, device: String, position: Int64) async throws

    /// A stored idempotency entry, for replays outside a transaction.
    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry?

    /// Deletes idempotency entries recorded before `cutoff` (ms); returns how many.
    func purgeIdempotency(before cutoff: Int64) async throws -> Int

    /// The tenant's policies; `nil` when never set.
    func policies(tenant: String) async throws -> TenantPolicies?

    /// Replaces the tenant's policies.
    func setPolicies(tenant: String, _ policies: TenantPolicies) async throws

    /// Review items of the tenant in creation order after `afterId` (exclusive), optionally only
    /// those with `status` or of `collection`.
    func reviews(tenant: String, status: ReviewStatus?, collection: String?, after afterId: String?, limit: Int) async throws -> [ReviewItem]

    /// One review item of the tenant; `nil` when it has none with this id.
    func review(tenant: String, id: String) async throws -> ReviewItem?

    /// Audit entries of the tenant with an id greater than `afterId`, in id order (the order they
    /// were appended), at most `limit`, optionally only those of `collection` and/or `recordId`.
    func auditLog(tenant: String, collection: String?, recordId: String?, after afterId: Int64, limit: Int) async throws -> [StoredAuditEntry]

    /// Removes everything of the tenant (test control).
    func resetTenant(_ tenant: String) async throws

    /// The 32-byte key cursors are sealed with (`CursorCodec`): made from random bytes the first
    /// time it is asked for and kept in the store forever, so every restart and every node on
    /// the same database issues and reads the same cursors. Never logged, never sent.
    func cursorKey() async throws -> [UInt8]
}

/// The operations available inside one write transaction, on the tenant it was opened for.
public protocol SyncWriteTransaction: Sendable {
    /// A record, tombstones included.
    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord?
    /// Inserts or replaces a record.
    func saveRecord(_ record: StoredRecord) async throws
    /// Appends a change to the log and returns its position.
    func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64
    /// The highest change-log position of `tenant` as this transaction sees it (0 when none).
    func latestPosition(tenant: String) async throws -> Int64

    /// The device's state.
    func deviceState(tenant: String, device: String) async throws -> DeviceState
    /// Sets the device's last processed sequence number.
    func setLastSeq(tenant: String, device: String, seq: Int64) async throws
    /// The result first given to a device's mutation, kept forever for duplicates.
    func mutationResult(tenant: String, device: String, seq: Int64) async throws -> MutationResult?
    /// Records the result given to a device's mutation.
    func saveMutationResult(tenant: String, device: String, result: MutationResult) async throws

    /// A stored idempotency entry.
    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry?
    /// Records an idempotency entry (replacing an expired one with the same key).
    func saveIdempotency(tenant: String, device: String, _ entry: IdempotencyEntry) async throws

    /// Appends to the conflict audit log.
    func appendAudit(_ entry: ConflictAuditEntry) async throws

    /// A review item.
    func review(tenant: String, id: String) async throws -> ReviewItem?
    /// Inserts or replaces a review item.
    func saveReview(tenant: String, _ review: ReviewItem) async throws
}
