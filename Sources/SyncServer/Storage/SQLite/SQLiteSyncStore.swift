public import Logging
import SQLiteNIO
import Synchronization

/// The embedded store: one SQLite database file in WAL mode.
///
/// One writer connection, lent whole to one transaction at a time through an async lock, so write
/// transactions never interleave even though they await between statements. The writer is the
/// store's own (`SQLiteDatabase`): each transaction runs on the writer's thread, its statements
/// synchronous calls with their prepared forms kept. A small pool of read connections (SQLiteNIO)
/// serves reads outside transactions concurrently, each seeing only committed data.
/// Call `migrate()` after opening and `close()` when done (or run it as a `Service`).
public final class SQLiteSyncStore: SyncStore {
    /// The database file.
    public let path: String
    let writer: SQLiteConnectionPool<SQLiteDatabase>
    let readers: SQLiteConnectionPool<SQLiteConnection>
    /// Where write transactions run.
    private let writerThread: SQLiteThread
    /// Checkpoints the WAL off the writer's commits.
    private let checkpointer: SQLiteCheckpointer
    let logger: Logger
    /// Set when a rollback failed, so that the writer may still be inside that transaction.
    private let rollbackPending = Atomic<Bool>(false)
    /// Told of the writer queue and of each write transaction's duration (metrics).
    private let observer: (any WriteObserver)?
    /// Write transactions running or waiting for the writer.
    private let writerDemand = Atomic<Int>(0)

    private init(path: String, writer: SQLiteDatabase, writerThread: SQLiteThread, checkpointer: SQLiteCheckpointer,
                 readers: [SQLiteConnection], observer: (any WriteObserver)?, logger: Logger) {
        self.path = path
        self.observer = observer
        self.writer = SQLiteConnectionPool([writer], name: "write", close: { try $0.close() })
        self.writerThread = writerThread
        self.checkpointer = checkpointer
        self.readers = SQLiteConnectionPool(readers, name: "read", close: { try await $0.close() })
        self.logger = logger
    }

    deinit {
        writerThread.stop()
    }

    /// Opens the database at `path`, creating the file if needed, and sets up its connections.
    /// The schema is not touched: call `migrate()` next. Without a `logger` the store logs
    /// nothing (as postgres-nio's connections do), so pass the server's. `observer` hears of the
    /// writer queue and of every write transaction's duration.
    public static func open(path: String, configuration: Configuration = Configuration(), observer: (any WriteObserver)? = nil,
                            logger: Logger = Logger(label: "mobilesync.store.sqlite", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> SQLiteSyncStore {
        // Opening and setting up the writer can wait for another process's lock: on its thread.
        let thread = SQLiteThread(name: "sqlite-writer")
        let writer: SQLiteDatabase
        do {
            writer = try await withTaskExecutorPreference(thread) {
                let connection = try SQLiteDatabase.open(path: path)
                do {
                    try configureWriter(connection, configuration)
                } catch {
                    try? connection.close()
                    throw error
                }
                return connection
            }
        } catch {
            thread.stop()
            throw error
        }
        var readers: [SQLiteConnection] = []
        let checkpointer: SQLiteCheckpointer
        do {
            checkpointer = try SQLiteCheckpointer(path: path, busyTimeoutMilliseconds: busyTimeout(configuration), logger: logger)
            writer.reportWAL(to: checkpointer)
            for _ in 0..<max(1, configuration.readConnections) {
                let reader = try await connect(path, logger: logger)
                readers.append(reader)
                try await configureReader(reader, configuration)
            }
        } catch {
            try? writer.close()
            for connection in readers { try? await connection.close() }
            thread.stop()
            throw error
        }
        logger.info("opened SQLite store", metadata: ["path": "\(path)", "readers": "\(readers.count)"])
        return SQLiteSyncStore(path: path, writer: writer, writerThread: thread, checkpointer: checkpointer, readers: readers,
                               observer: observer, logger: logger)
    }

    /// Waits for running operations, then closes every connection. Later calls fail with
    /// `closed`; closing again does nothing. Close the store before releasing it: SQLiteNIO
    /// asserts in debug builds that every connection was closed.
    public func close() async throws {
        defer { writerThread.stop() }
        try await writer.close()
        // The writer's WAL hook, which points at the checkpointer, ended with its connection.
        await checkpointer.close()
        try await readers.close()
        logger.info("closed SQLite store", metadata: ["path": "\(path)"])
    }

    public func migrate() async throws {
        try await migrate(to: SQLiteSchema.migrations)
    }

    /// Write transactions of every tenant take turns on the one writer connection.
    public func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await transaction("write") { connection in
            let transaction = SQLWriteTransaction(connection: connection, tenant: tenant)
            defer { transaction.finish() }
            return try await body(transaction)
        }
    }

    /// The one writer runs a group's units in one transaction, with one commit and one sync to
    /// disk for all of them; a second group would only wait for the writer.
    public var writeGroupConcurrency: Int { 1 }

    public func writeGroup<T: Sendable>(tenants: [String], _ body: @Sendable (any SyncGroupTransaction) async throws -> T) async throws -> T {
        try await transaction("write") { connection in
            let positions = SQLitePositions()
            let group = StagedGroupTransaction(connection: connection, tenants: tenants, reserve: positions.reserve)
            let value: T
            do {
                defer { group.finish() }
                value = try await body(group)
            }
            try await group.flush()
            return value
        }
    }

    // MARK: - Connections

    /// Runs `body` in `BEGIN IMMEDIATE` ... `COMMIT` on the writer, rolling back when it throws.
    /// `IMMEDIATE` takes the database's write lock at the start, so a transaction never fails
    /// halfway because another process started writing.
    func transaction<T: Sendable>(_ operation: String, _ body: (SQLiteDatabase) async throws -> T) async throws -> T {
        try await withWriter(operation) { connection in
            if rollbackPending.exchange(false, ordering: .sequentiallyConsistent) {
                try? await connection.run("ROLLBACK", operation: operation)
            }
            let started = ContinuousClock.now
            defer { observer?.writeTransactionFinished(duration: .now - started) }
            try await connection.run("BEGIN IMMEDIATE", operation: operation)
            do {
                let value = try await body(connection)
                try await connection.run("COMMIT", operation: operation)
                return value
            } catch {
                do {
                    try await connection.run("ROLLBACK", operation: operation)
                } catch {
                    // SQLite may have rolled back already (after some I/O errors). If not, the
                    // next transaction rolls back first rather than fail to begin.
                    rollbackPending.store(true, ordering: .sequentiallyConsistent)
                    logger.error("rollback failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
                }
                throw error
            }
        }
    }

    /// Runs `body` with the writer connection on the writer's thread, waiting for the transaction
    /// before it to end.
    func withWriter<T: Sendable>(_ operation: String, _ body: (SQLiteDatabase) async throws -> T) async throws -> T {
        try WriterHold.refuseNested(in: self, operation: operation)
        if let observer { observer.writerQueueChanged(depth: writerDemand.add(1, ordering: .relaxed).newValue) }
        defer { if let observer { observer.writerQueueChanged(depth: writerDemand.subtract(1, ordering: .relaxed).newValue) } }
        return try await withTaskExecutorPreference(writerThread) {
            try await writer.withConnection { connection in
                try await WriterHold.holding(self) { try await body(connection) }
            }
        }
    }

    /// Runs `body` with a read connection of its own.
    func read<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await readers.withConnection(body)
    }

    private static func connect(_ path: String, logger: Logger) async throws -> SQLiteConnection {
        do {
            return try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError(sqlite: error, operation: "open")
        }
    }

    private static func configureWriter(_ connection: SQLiteDatabase, _ configuration: Configuration) throws {
        try connection.runNow("PRAGMA busy_timeout = \(busyTimeout(configuration))", [], operation: "open")
        let mode = try connection.rowsNow("PRAGMA journal_mode = WAL", [], operation: "open").first?.column("journal_mode")
        guard mode?.string?.lowercased() == "wal" else {
            throw StoreError(.io, operation: "open", engineReason: "WAL journal mode unavailable")
        }
        switch configuration.synchronous {
        case .full: try connection.runNow("PRAGMA synchronous = FULL", [], operation: "open")
        case .normal: try connection.runNow("PRAGMA synchronous = NORMAL", [], operation: "open")
        }
        try connection.runNow("PRAGMA foreign_keys = ON", [], operation: "open")
    }

    private static func configureReader(_ connection: SQLiteConnection, _ configuration: Configuration) async throws {
        try await connection.run("PRAGMA foreign_keys = ON", operation: "open")
        // Replaces SQLiteNIO's default busy handler, which retries forever.
        try await connection.run("PRAGMA busy_timeout = \(busyTimeout(configuration))", operation: "open")
        // A reader that tried to write would take the write lock behind the writer's back.
        try await connection.run("PRAGMA query_only = ON", operation: "open")
    }

    /// PRAGMA takes no bound parameters; the value is an Int from the configuration, not from a request.
    private static func busyTimeout(_ configuration: Configuration) -> Int {
        max(0, configuration.busyTimeoutMilliseconds)
    }
}
