import Synchronization
import VaporCSQLite

/// One SQLite connection that the store drives itself: each statement runs synchronously on the
/// calling thread, and its prepared form is kept for the next statement with the same SQL.
///
/// The writer is one: a whole write transaction then runs on the writer's thread
/// (`SQLiteThread`) without a thread hop or a new `sqlite3_prepare` per statement, where
/// SQLiteNIO runs every statement on its thread pool and prepares it again each time.
///
/// It calls the SQLite that SQLiteNIO vendors (`VaporCSQLite`, the module behind `SQLiteNIO`),
/// not a second copy of the library: two copies in one process do not see each other's POSIX
/// locks on the same file, and closing the file in one drops the locks the other holds.
final class SQLiteDatabase: Sendable {
    /// The handle and its statements. One borrower uses the connection at a time (the store's
    /// pool lends it whole); the mutex makes that a guarantee rather than a convention.
    private let connection: Mutex<SQLiteStatements>

    private init(_ statements: sending SQLiteStatements) {
        connection = Mutex(statements)
    }

    /// Opens (creating it if needed) the database file at `path`. `cachedStatements` bounds how
    /// many prepared statements the connection keeps.
    static func open(path: String, cachedStatements: Int = 64) throws -> SQLiteDatabase {
        SQLiteLibrary.initialize()
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            // SQLite hands back a handle even when opening fails; it must still be closed.
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw StoreError(sqliteStatus: status, operation: "open")
        }
        return SQLiteDatabase(SQLiteStatements(handle: handle, capacity: cachedStatements))
    }

    /// Runs one statement with `binds` and returns its rows.
    func rowsNow(_ sql: String, _ binds: [SQLValue], operation: String) throws -> [SQLRow] {
        try connection.withLock { try $0.execute(sql, binds, readingRows: true, operation: operation) }
    }

    /// Runs one statement with `binds`, stepping it to its end without reading its rows.
    func runNow(_ sql: String, _ binds: [SQLValue], operation: String) throws {
        _ = try connection.withLock { try $0.execute(sql, binds, readingRows: false, operation: operation) }
    }

    /// Tells `checkpointer` the WAL's length after each commit (SQLite's WAL hook, which replaces
    /// its automatic checkpoint). `checkpointer` must outlive the connection.
    func reportWAL(to checkpointer: SQLiteCheckpointer) {
        // The address crosses into the mutex as a number: a raw pointer is not Sendable.
        let address = UInt(bitPattern: Unmanaged.passUnretained(checkpointer).toOpaque())
        connection.withLock { $0.setWALHook(SQLiteCheckpointer.hook, context: address) }
    }

    /// How many prepared statements the connection keeps now.
    var cachedStatementCount: Int {
        connection.withLock { $0.count }
    }

    /// Finalizes every kept statement and closes the handle. Later statements fail with `closed`;
    /// closing again does nothing.
    func close() throws {
        try connection.withLock { try $0.close() }
    }

    deinit {
        // A connection nobody closed still lets go of its file and statements.
        try? connection.withLock { try $0.close() }
    }
}

extension SQLiteDatabase: SQLExecutor {
    // The async requirements run the statement at once, on the caller's thread: a store calls them
    // from its writer thread, where blocking on the disk is what that thread is for.
    func rows(_ sql: String, _ binds: [SQLValue], operation: String) async throws -> [SQLRow] {
        try rowsNow(sql, binds, operation: operation)
    }

    func run(_ sql: String, _ binds: [SQLValue], operation: String) async throws {
        try runNow(sql, binds, operation: operation)
    }
}

/// The process-wide set-up of the vendored SQLite, done once before the first connection.
enum SQLiteLibrary {
    private static let initialized = Mutex(false)

    static func initialize() {
        initialized.withLock { done in
            guard !done else { return }
            sqlite_nio_sqlite3_initialize()
            done = true
        }
    }
}
