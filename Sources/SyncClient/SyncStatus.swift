public import SyncProtocol

/// What the app can show about sync, published on `SyncClient.status` whenever it changes.
public struct SyncStatus: Sendable, Hashable {
    /// The connection with the server.
    public enum Connection: Sendable, Hashable {
        /// Opening a session.
        case connecting
        /// A session is established; changes flow both ways.
        case connected
        /// The server cannot be reached; writes are kept and sent later.
        case offline
        /// The server refused the token; the client waits for a new one from its `TokenProvider`.
        case needsAuthentication
        /// The session failed for a reason that retrying alone does not fix (see `reason`).
        case error
        /// The client was stopped.
        case closed
    }

    /// The connection state.
    public var connection: Connection
    /// Why the connection is in this state, for people (never holds tokens or data).
    public var reason: String?
    /// Writes made on this device that the server has not settled yet.
    public var pendingCount: Int
    /// The client time (ms since the epoch) of the oldest pending write, `nil` when none.
    public var oldestPendingClientTime: Int64?
    /// The highest sequence number the server settled.
    public var lastSettledSeq: Int64
    /// The last reason a push failed, cleared by the next settled batch.
    public var lastUploadError: String?
    /// Changes applied from the server since the client started.
    public var changesApplied: Int
    /// Whether the client is catching up with the server's change log (pull in progress).
    public var catchingUp: Bool

    /// The status of a client that has not started.
    public static let initial = SyncStatus(connection: .closed, reason: "not started", pendingCount: 0, oldestPendingClientTime: nil,
                                           lastSettledSeq: 0, lastUploadError: nil, changesApplied: 0, catchingUp: false)
}

/// Something that happened to the local data, published on `SyncClient.events`.
public enum SyncEvent: Sendable, Hashable {
    /// Records changed locally (a write) or from the server (a change, a settled conflict).
    case recordsChanged([RecordKey], origin: Origin)
    /// The server settled a write: applied, merged, conflict resolved, duplicate or queued for review.
    case settled(seq: Int64, status: MutationStatus, key: RecordKey)
    /// The server resolved a conflict on a write with `strategy`; the local record now holds the winner.
    case conflictResolved(seq: Int64, key: RecordKey, strategy: ConflictStrategy?)
    /// The server rejected a write; it left the outbox and is listed in `rejected()`.
    case rejected(seq: Int64, key: RecordKey, code: ErrorCode)
    /// A write went to the operators' review queue; its outcome arrives as a change.
    case queuedForReview(seq: Int64, key: RecordKey)
    /// The local copy of the server's data was discarded and is being read again (after
    /// `cursor_expired` or a tenant reset).
    case resyncStarted(reason: String)

    /// Where a change came from.
    public enum Origin: Sendable, Hashable {
        /// A write on this device.
        case local
        /// The server: another device, an operator, or the server's answer to this device's write.
        case server
    }
}
