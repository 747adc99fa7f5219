extension SQLiteSyncStore {
    /// How the SQLite store opens its database.
    public struct Configuration: Sendable, Hashable {
        /// How hard SQLite works to keep a committed transaction across a machine failure
        /// (`PRAGMA synchronous`). The database is in WAL mode either way, so it is never left
        /// half-written, and a killed process never loses a committed transaction.
        public enum Synchronous: Sendable, Hashable {
            /// The WAL is flushed to disk at every commit: a commit survives power loss and OS
            /// crashes. The default, because the protocol promises each device that an answered
            /// mutation is applied forever (SEQ-1, SEQ-2): forgetting an answered batch would leave
            /// the device's sequence number ahead of the server's, and every later push of that
            /// device would be refused as a gap.
            case full
            /// The WAL is flushed only at checkpoints: faster commits, and still safe when the
            /// process crashes, but the last commits before a power loss or OS crash can be lost.
            /// For tests and for disks that do not lose acknowledged writes.
            case normal
        }

        /// Durability of commits; `.full` unless the deployment accepts the risk of `.normal`.
        public var synchronous: Synchronous
        /// How many connections serve reads outside write transactions, concurrently with the
        /// one writer (WAL readers never block the writer, nor it them).
        public var readConnections: Int
        /// How long a statement waits for a lock held by another process before failing with
        /// `busy` (within this process the store's own lock orders the writers).
        public var busyTimeoutMilliseconds: Int

        /// Creates a configuration.
        public init(synchronous: Synchronous = .full, readConnections: Int = 4, busyTimeoutMilliseconds: Int = 5000) {
            self.synchronous = synchronous
            self.readConnections = readConnections
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }
}
