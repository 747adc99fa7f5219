/// A storage failure. The description names the operation and the kind of failure, never a
/// tenant's data (record fields, ids, keys or SQL values), so it is safe to log and to wrap in
/// an `internal_error` answer.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it is; new codes can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name, for logs and metrics.
        public var name: String

        /// Creates a code.
        public init(_ name: String) {
            self.name = name
        }

        /// The code's name.
        public var description: String { name }

        /// The store was closed, or never opened.
        public static let closed = Code("closed")
        /// The database is locked by another process for longer than the busy timeout; retryable.
        public static let busy = Code("busy")
        /// A constraint (primary key, unique, not null) refused the write.
        public static let constraint = Code("constraint")
        /// Reading or writing the database file failed (disk full, I/O error, permissions).
        public static let io = Code("io")
        /// The database file or a stored value is damaged or unreadable.
        public static let corrupt = Code("corrupt")
        /// The database was written by a newer version of the server (its schema is ahead of ours).
        public static let schemaTooNew = Code("schema_too_new")
        /// A schema migration failed; the database stays at the last version that applied.
        public static let migrationFailed = Code("migration_failed")
        /// `write` was called from inside a write transaction of the same store, which would wait
        /// for itself forever.
        public static let nestedWrite = Code("nested_write")
        /// A write transaction was asked to touch a tenant other than the one it was opened for.
        public static let otherTenant = Code("other_tenant")
        /// A transaction was used after it committed or rolled back.
        public static let transactionFinished = Code("transaction_finished")
        /// The database server cannot be reached or is shutting down; retryable.
        public static let unavailable = Code("unavailable")
        /// Any other database failure.
        public static let database = Code("database")
    }

    /// The kind of failure.
    public var code: Code
    /// The store operation that failed, such as `saveRecord` or `commit`.
    public var operation: String
    /// The database engine's own name for the failure (for SQLite its result code), if any.
    public var engineReason: String?

    /// Creates an error.
    public init(_ code: Code, operation: String, engineReason: String? = nil) {
        self.code = code
        self.operation = operation
        self.engineReason = engineReason
    }

    /// One line for logs: the code, the operation and the engine's reason, never data.
    public var description: String {
        var text = "store error \(code) in \(operation)"
        if let engineReason { text += " (\(engineReason))" }
        return text
    }

    /// Whether trying again later can succeed.
    public var isRetryable: Bool { code == .busy || code == .unavailable }
}
