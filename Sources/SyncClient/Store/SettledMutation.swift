public import SyncProtocol

/// The server's verdict on one mutation, as `settle` applied it: what the app waits for after
/// the write itself was saved.
public struct SettledMutation: Sendable, Hashable {
    /// The mutation's sequence number.
    public var seq: Int64
    /// The record it addressed.
    public var key: RecordKey
    /// The outcome; for a `duplicate` the original outcome when the server gave it.
    public var status: MutationStatus
    /// The error code of a rejection.
    public var error: ErrorCode?
    /// The record version after processing, when the server gave it.
    public var version: Int64?

    /// Creates a verdict.
    public init(seq: Int64, key: RecordKey, status: MutationStatus, error: ErrorCode? = nil, version: Int64? = nil) {
        self.seq = seq
        self.key = key
        self.status = status
        self.error = error
        self.version = version
    }
}

/// A mutation the server rejected (or the uploader had to give up on), kept for the app to show
/// and clear. It no longer blocks the outbox.
public struct RejectedMutation: Sendable, Hashable {
    /// The mutation as it was sent.
    public var mutation: Mutation
    /// The error code: a mutation-level code (`record_not_found`, `invalid_mutation`,
    /// `record_too_large`) or the batch-level code that refused it alone.
    public var error: ErrorCode
    /// The server's explanation, for logs.
    public var message: String

    /// Creates a rejected mutation.
    public init(mutation: Mutation, error: ErrorCode, message: String) {
        self.mutation = mutation
        self.error = error
        self.message = message
    }

    /// The mutation's sequence number.
    public var seq: Int64 { mutation.seq }
}

/// A mutation the server queued for an operator (`manual` conflict strategy). The local view
/// shows the server state meanwhile; the operator's resolution arrives later as a change.
public struct InReviewMutation: Sendable, Hashable {
    /// The mutation as it was sent.
    public var mutation: Mutation
    /// The server's review item id, when given.
    public var reviewId: String?

    /// Creates an entry.
    public init(mutation: Mutation, reviewId: String?) {
        self.mutation = mutation
        self.reviewId = reviewId
    }

    /// The mutation's sequence number.
    public var seq: Int64 { mutation.seq }
}

/// What `settle` did with a push result.
public struct SettleReport: Sendable, Hashable {
    /// One verdict per settled mutation, in `seq` order.
    public var settled: [SettledMutation]
    /// Mutations of the batch the result had no entry for; they stay in the outbox and go out in
    /// the next batch.
    public var unanswered: [Int64]

    /// Creates a report.
    public init(settled: [SettledMutation], unanswered: [Int64]) {
        self.settled = settled
        self.unanswered = unanswered
    }
}
