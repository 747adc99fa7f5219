/// The device's positions in the server's change log.
public struct DownSyncCursors: Sendable, Hashable {
    /// The cursor of the last change stored locally, written in the same transaction as the
    /// changes: everything up to it is durably applied.
    public var stored: String?
    /// The last cursor the server confirmed (`acked`) as the device's acknowledged cursor.
    public var acknowledged: String?

    /// Creates the cursors.
    public init(stored: String?, acknowledged: String?) {
        self.stored = stored
        self.acknowledged = acknowledged
    }

    /// Where to resume pulling after a reconnect: the stored cursor when there is one, else the
    /// acknowledged one, else the beginning (`nil`). The stored cursor is never behind the
    /// acknowledged one and marks changes already applied here, so resuming from it downloads
    /// nothing twice; the client sends it as `hello.cursor`, which also acknowledges it. (The
    /// acknowledged cursor would be safe too, since applying a change twice is a no-op, only
    /// slower.)
    public var resume: String? { stored ?? acknowledged }

    /// Whether the stored cursor still has to be acknowledged to the server.
    public var needsAcknowledgement: Bool { stored != nil && stored != acknowledged }
}
