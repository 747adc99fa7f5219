public import SyncProtocol

/// What processing one mutation against the stored record decided (a pure value; the push
/// processor writes it).
public struct Resolution: Sendable, Hashable {
    /// The result status.
    public var status: MutationStatus
    /// The strategy that decided a conflict; `nil` without conflict.
    public var strategy: ConflictStrategy?
    /// The new version to store, when the mutation writes one.
    public var write: StoredRecord?
    /// The record as it stands afterwards (the new version, or the unchanged server record).
    public var current: StoredRecord?
    /// For `rejected`: the error code and message.
    public var rejection: ServiceError?
    /// Whether the mutation conflicted with the stored record (audited).
    public var conflicted: Bool

    /// The record before the mutation (tombstones included; `nil` when it never existed).
    public var previous: StoredRecord?

    /// The change-log operation of a write: the record's state transition.
    public var changeOp: MutationOp? {
        write.map { MutationOp.transition(from: previous, to: $0) }
    }
}
