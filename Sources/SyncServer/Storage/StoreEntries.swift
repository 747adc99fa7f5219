public import SyncProtocol

/// One entry of a tenant's change log: a committed change at a monotonic position.
public struct ChangeEntry: Sendable, Hashable {
    /// Position in the change log; increases with every committed change (across tenants).
    public var position: Int64
    /// What happened to the record.
    public var op: MutationOp
    /// The record after the change.
    public var record: StoredRecord
    /// The device whose mutation caused it; `nil` for operator resolutions and seeds.
    public var originDevice: String?

    /// Creates a change entry.
    public init(position: Int64, op: MutationOp, record: StoredRecord, originDevice: String?) {
        self.position = position
        self.op = op
        self.record = record
        self.originDevice = originDevice
    }
}

/// What the server remembers about a device.
public struct DeviceState: Sendable, Hashable {
    /// The highest mutation sequence number processed for the device (0 if none).
    public var lastSeq: Int64
    /// The change-log position the device acknowledged last; `nil` if it never did.
    public var ackedPosition: Int64?

    /// Creates a device state.
    public init(lastSeq: Int64, ackedPosition: Int64?) {
        self.lastSeq = lastSeq
        self.ackedPosition = ackedPosition
    }
}

/// A stored push response, replayed for a repeated idempotency key.
public struct IdempotencyEntry: Sendable, Hashable {
    /// The key the client sent.
    public var key: String
    /// SHA-256 (hex) of the canonical payload.
    public var payloadHash: String
    /// The push result as first answered.
    public var result: PushResult
    /// When it was recorded (server time, ms).
    public var createdAt: Int64

    /// Creates an entry.
    public init(key: String, payloadHash: String, result: PushResult, createdAt: Int64) {
        self.key = key
        self.payloadHash = payloadHash
        self.result = result
        self.createdAt = createdAt
    }
}

/// One row of the conflict audit log (CONF-13): a detected conflict and how it was resolved, or
/// an operator's resolution of a queued conflict.
public struct ConflictAuditEntry: Sendable, Hashable {
    /// The tenant the conflict belongs to.
    public var tenant: String
    /// The collection of the record in conflict.
    public var collection: String
    /// The id of the record in conflict.
    public var recordId: String
    /// The device of the conflicting mutation; `nil` for operator resolutions.
    public var device: String?
    /// The sequence number of the conflicting mutation; `nil` for operator resolutions.
    public var seq: Int64?
    /// The strategy that decided it.
    public var strategy: ConflictStrategy
    /// The mutation's base version.
    public var baseVersion: Int64
    /// The server record's version before the entry's effect (0 when there was none).
    public var serverVersion: Int64
    /// The server's record before the entry's effect; `nil` when there was none.
    public var serverRecord: Record?
    /// The result status given to the mutation.
    public var outcome: MutationStatus
    /// The record as it stands after resolution.
    public var winner: Record
    /// The client's mutation, as sent.
    public var mutation: Mutation?
    /// Server time, ms.
    public var createdAt: Int64
    /// The version the entry wrote; `nil` when the record was left unchanged.
    public var resultingVersion: Int64?
    /// The review item the conflict was queued as, or the one an operator resolved.
    public var reviewId: String?
    /// The operator (token `sub`) who resolved the review; resolutions only.
    public var `operator`: String?
    /// The operator's choice; resolutions only.
    public var choice: ReviewResolutionChoice?

    /// Creates an audit entry.
    public init(tenant: String, collection: String, recordId: String, device: String?, seq: Int64?, strategy: ConflictStrategy,
                baseVersion: Int64, serverVersion: Int64, outcome: MutationStatus, winner: Record, mutation: Mutation?, createdAt: Int64,
                serverRecord: Record? = nil, resultingVersion: Int64? = nil, reviewId: String? = nil, operator: String? = nil,
                choice: ReviewResolutionChoice? = nil) {
        self.tenant = tenant
        self.collection = collection
        self.recordId = recordId
        self.device = device
        self.seq = seq
        self.strategy = strategy
        self.baseVersion = baseVersion
        self.serverVersion = serverVersion
        self.outcome = outcome
        self.winner = winner
        self.mutation = mutation
        self.createdAt = createdAt
        self.serverRecord = serverRecord
        self.resultingVersion = resultingVersion
        self.reviewId = reviewId
        self.operator = `operator`
        self.choice = choice
    }
}

/// An audit entry as stored, with the id the store assigned when it was appended. Ids increase
/// with every appended entry (across tenants) and are never reused.
public struct StoredAuditEntry: Sendable, Hashable {
    /// The store-assigned id, ascending in append order.
    public var id: Int64
    /// The entry.
    public var entry: ConflictAuditEntry

    /// Creates a stored entry.
    public init(id: Int64, entry: ConflictAuditEntry) {
        self.id = id
        self.entry = entry
    }
}
