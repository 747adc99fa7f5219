import Logging
import Synchronization
import VaporCSQLite

/// Copies the WAL back into the database file on a connection and a thread of its own, so that a
/// commit of the writer never does it: SQLite's automatic checkpoint runs inside the commit that
/// crosses its threshold, writing a thousand pages and syncing the database file while every
/// push of the next group waits.
///
/// The writer tells it (`walGrew(pages:)`, from SQLite's WAL hook) how long the WAL has become
/// after each commit; past `walPages` it starts a passive checkpoint, which never blocks the
/// writer or the readers, unless one is running already. A checkpoint can only restart the WAL
/// when it has caught up with the writer; under writes that never pause it may not, so past
/// `walPagesLimit` the writer's commit checkpoints what is left itself (as SQLite would at
/// `walPages`), which keeps the WAL bounded.
final class SQLiteCheckpointer: Sendable {
    /// The WAL size (in pages) that starts a checkpoint: SQLite's own automatic threshold.
    static let walPages: Int32 = 1_000
    /// The WAL size (in pages) past which the writer's commit checkpoints itself.
    static let walPagesLimit: Int32 = 4 * walPages

    private let connection: SQLiteDatabase
    private let thread: SQLiteThread
    private let logger: Logger
    private let state = Mutex(State())
    private let checkpoints = Atomic<Int>(0)

    /// How many background checkpoints have run to their end.
    var completed: Int { checkpoints.load(ordering: .relaxed) }

    private struct State {
        var running: Task<Void, Never>?
        var closed = false
    }

    /// Opens its connection to the database at `path` (already in WAL mode) and starts its thread.
    init(path: String, busyTimeoutMilliseconds: Int, logger: Logger) throws {
        connection = try SQLiteDatabase.open(path: path, cachedStatements: 4)
        do {
            try connection.runNow("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", [], operation: "open")
        } catch {
            try? connection.close()
            throw error
        }
        thread = SQLiteThread(name: "sqlite-checkpoint")
        self.logger = logger
    }

    /// Called after a commit with the WAL's length: starts a checkpoint past the threshold, unless
    /// one runs already or the checkpointer is closed.
    func walGrew(pages: Int32) {
        guard pages >= Self.walPages else { return }
        state.withLock { current in
            guard !current.closed, current.running == nil else { return }
            current.running = Task(executorPreference: thread) { [self] in
                do {
                    try connection.runNow("PRAGMA wal_checkpoint(PASSIVE)", [], operation: "checkpoint")
                    checkpoints.add(1, ordering: .relaxed)
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
                state.withLock { $0.running = nil }
            }
        }
    }

    deinit {
        thread.stop()
    }

    /// Waits for a running checkpoint, then closes the connection. No checkpoint starts afterwards.
    func close() async {
        let running = state.withLock { state in
            state.closed = true
            return state.running
        }
        await running?.value
        try? connection.close()
    }

    /// The WAL hook to install on the writer, with this checkpointer as its context (which must
    /// outlive the writer's connection).
    static let hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { context, database, name, pages in
        if pages >= walPagesLimit {
            // What the background checkpoints left; SQLite's own automatic checkpoint does this from
            // its hook too. A failure (another checkpoint running) leaves it to the next commit.
            _ = sqlite_nio_sqlite3_wal_checkpoint_v2(database, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if let context {
            Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue().walGrew(pages: pages)
        }
        return SQLITE_OK
    }
}
