import Foundation
public import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The production store: PostgreSQL 14 or later, shared by any number of server processes.
///
/// **Why a pull never skips a change.** Positions come from one identity sequence, so two
/// transactions may take positions 10 and 11 and commit in the other order; a reader that saw
/// 11 and moved its cursor past it would never see 10. Every write transaction therefore takes
/// its tenant's advisory lock (`pg_advisory_xact_lock`) before it reads or writes anything and
/// holds it until it commits: one tenant's transactions run one after the other on every node,
/// each takes its positions after the previous one committed, and within a tenant a position
/// becomes visible only after every lower one has. Readers (pulls) take no lock. Tenants do not
/// wait for each other. The same lock makes a device's sequence numbers, idempotency keys and
/// records read-then-written without any other node changing them in between.
///
/// A pool of connections (postgres-nio's `PostgresClient`) serves reads and transactions
/// concurrently. Call `migrate()` after opening and `close()` when done (or run it as a `Service`).
public final class PostgresSyncStore: SyncStore {
    /// Where the database is (its description hides the password).
    public let url: PostgresURL
    /// Tells this store's notifications from other processes' (`peerEvents`).
    let id = UUID().uuidString
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    private let isClosed = Atomic<Bool>(false)
    /// Told of waiting and running write transactions and of each one's duration (metrics).
    private let observer: (any WriteObserver)?
    private let writerDemand = Atomic<Int>(0)

    private init(url: PostgresURL, client: PostgresClient, runner: Task<Void, Never>, observer: (any WriteObserver)?, logger: Logger) {
        self.url = url
        self.client = client
        self.runner = runner
        self.observer = observer
        self.logger = logger
    }

    /// Connects to the database at `url` with a pool of at most `maximumConnections`, and checks
    /// that it answers (failing with `unavailable` when it does not). The schema is not touched:
    /// call `migrate()` next. Without a `logger` the store logs nothing.
    public static func open(url: PostgresURL, maximumConnections: Int = 20, observer: (any WriteObserver)? = nil,
                            logger: Logger = Logger(label: "mobilesync.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PostgresSyncStore {
        var configuration = clientConfiguration(url)
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // The pool must run before the first lease (postgres-nio warns otherwise): wait until
        // the task has started.
        let (started, signal) = AsyncStream<Void>.makeStream()
        let runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        await Task.yield()
        let store = PostgresSyncStore(url: url, client: client, runner: runner, observer: observer, logger: logger)
        do {
            try await store.answers(within: .seconds(10))
        } catch {
            await store.close()
            throw error
        }
        logger.info("opened PostgreSQL store", metadata: ["database": "\(url)"])
        return store
    }

    /// Checks that the database answers a query within `limit` (the pool itself keeps trying to
    /// connect for about a minute before it gives up), failing with `unavailable`.
    private func answers(within limit: Duration) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { [self] in
                try await read { try await $0.run("SELECT 1", [], operation: "open") }
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let answered = try await group.next() ?? false
            group.cancelAll()
            guard answered else {
                throw StoreError(.unavailable, operation: "open", engineReason: "the database did not answer within \(limit)")
            }
        }
    }

    /// Refuses new work, ends the pool's connections and waits for the pool to stop. Closing
    /// again does nothing.
    public func close() async {
        guard !isClosed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        runner.cancel()
        await runner.value
        logger.info("closed PostgreSQL store", metadata: ["database": "\(url)"])
    }

    public func migrate() async throws {
        try await migrate(to: PostgresSchema.migrations)
    }

    /// One tenant's transactions take turns on every node (see the type's comment); other
    /// tenants' run at the same time.
    public func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await transaction("write", lock: .tenant(tenant)) { connection in
            let transaction = SQLWriteTransaction(connection: connection, tenant: tenant)
            let value: T
            do {
                defer { transaction.finish() }
                value = try await body(transaction)
            }
            if let positions = transaction.appendedPositions {
                try await notifyChanges(on: connection, [tenant: positions])
            }
            return value
        }
    }

    /// Groups share a transaction that holds every tenant's lock (taken in one statement, in the
    /// order of the locks' keys, so two groups never wait for each other in a cycle). Groups of
    /// different tenants run on connections of their own, a few at a time.
    ///
    /// A group claims its batches' idempotency keys before it waits for the tenants' locks
    /// (`claim(_:on:)`): the claims never wait, so a key in another node's running transaction
    /// is answered `idempotency_key_in_flight` at once instead of after that node's commit, and
    /// no group waits for another in a cycle through them.
    public var writeGroupConcurrency: Int { 2 }

    public func writeGroup<T: Sendable>(tenants: [String], _ body: @Sendable (any SyncGroupTransaction) async throws -> T) async throws -> T {
        let tenants = Set(tenants).sorted()
        return try await transaction("write", lock: nil) { connection in
            let group = StagedGroupTransaction(connection: connection, tenants: tenants, reserve: Self.reservePositions,
                                               claimKeys: { try await Self.claim($1, on: $0) },
                                               lockTenants: { try await Self.lock(tenants, reserving: $1, on: $0) })
            let value: T
            do {
                defer { group.finish() }
                value = try await body(group)
            }
            try await group.flush()
            var ranges: [String: ClosedRange<Int64>] = [:]
            for change in group.changes {
                ranges[change.record.tenant] = ranges[change.record.tenant].spanning(change.position)
            }
            try await notifyChanges(on: connection, ranges)
            return value
        }
    }

    /// Takes the tenants' locks and then `count` positions (see `reservePositions`) in one
    /// statement: the positions are drawn for the rows of an aggregate over the locks, which
    /// yields its one row only after every lock is held. With no positions to take, the locks alone.
    private static func lock(_ tenants: [String], reserving count: Int, on connection: PostgresExecutor) async throws -> [Int64] {
        guard count > 0 else {
            try await Lock.tenants(tenants).take(on: connection, operation: "write")
            return []
        }
        let values = Array(repeating: "(?)", count: tenants.count).joined(separator: ", ")
        return try await connection.rows(
            "SELECT nextval(pg_get_serial_sequence('change_log', 'position')) AS position FROM (SELECT count(pg_advisory_xact_lock(s.k)) AS n FROM "
                + "(SELECT DISTINCT hashtextextended(v.t, 0) AS k FROM (VALUES " + values + ") AS v(t) ORDER BY k) AS s) AS l, generate_series(1, ?)",
            Lock.tenants(tenants).keys.map(SQLValue.text) + [.int(count)], operation: "write").compactMap { $0.column("position")?.integer }
    }

    /// `count` positions from the change log's identity sequence. Taken after the tenants' locks,
    /// they are above every position committed before in those tenants (see the type's comment).
    private static func reservePositions(on connection: PostgresExecutor, count: Int) async throws -> [Int64] {
        try await connection.rows("SELECT nextval(pg_get_serial_sequence('change_log', 'position')) AS position FROM generate_series(1, ?)",
                                  [.int(count)], operation: "appendChange").compactMap { $0.column("position")?.integer }
    }

    // MARK: - Connections

    /// What a transaction locks before its first statement, until it ends.
    enum Lock {
        /// The tenant's sync data: records, change log, devices, reviews (see the type's comment).
        case tenant(String)
        /// Several tenants' sync data, for a group transaction.
        case tenants([String])
        /// The tenant's upload sessions, chunks and files.
        case uploads(String)
        /// Health and analytics rows of every tenant, written in batches by each node's flusher.
        case activity
        /// The tenant's test-control clock (`ClockStore`).
        case clock(String)

        /// The advisory lock's key text; `hashtextextended` makes it the 64-bit key. Two texts
        /// with the same hash only wait for each other more than they need to.
        var keys: [String] {
            switch self {
            case .tenant(let tenant): ["tenant:" + tenant]
            case .tenants(let tenants): tenants.map { "tenant:" + $0 }
            case .uploads(let tenant): ["uploads:" + tenant]
            case .activity: ["activity"]
            case .clock(let tenant): ["clock:" + tenant]
            }
        }

        /// Takes the locks; several in the order of their 64-bit keys (the outer query runs in
        /// the order of the sorted subquery, as PostgreSQL's advisory lock documentation shows).
        func take(on connection: PostgresExecutor, operation: String) async throws {
            let keys = keys
            guard keys.count > 1 else {
                try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", keys.map(SQLValue.text), operation: operation)
                return
            }
            let values = Array(repeating: "(?)", count: keys.count).joined(separator: ", ")
            try await connection.run("SELECT pg_advisory_xact_lock(s.k) FROM (SELECT DISTINCT hashtextextended(v.t, 0) AS k FROM (VALUES "
                                     + values + ") AS v(t) ORDER BY k) AS s", keys.map(SQLValue.text), operation: operation)
        }
    }

    /// Runs `body` in `BEGIN` ... `COMMIT` on a connection of its own, after taking `lock` if
    /// given; rolls back when `body` throws. A transaction nested in another of this store on the
    /// same task fails with `nestedWrite`: it would wait for the lock its caller holds.
    ///
    /// The transaction runs in a task of its own, which the caller's cancellation (a client that
    /// went away) does not reach: cancelled, postgres-nio would abandon ROLLBACK too, and the
    /// connection would go back to the pool inside the transaction, still holding its lock.
    func transaction<T: Sendable>(_ operation: String, lock: Lock?, _ body: @Sendable (PostgresExecutor) async throws -> T) async throws -> T {
        try WriterHold.refuseNested(in: self, operation: operation)
        if let observer { observer.writerQueueChanged(depth: writerDemand.add(1, ordering: .relaxed).newValue) }
        defer { if let observer { observer.writerQueueChanged(depth: writerDemand.subtract(1, ordering: .relaxed).newValue) } }
        return try await withoutActuallyEscaping(body) { body in
            try await Task { try await self.uncancelledTransaction(operation, lock: lock, body) }.value
        }
    }

    private func uncancelledTransaction<T: Sendable>(_ operation: String, lock: Lock?,
                                                     _ body: @escaping @Sendable (PostgresExecutor) async throws -> T) async throws -> T {
        try await withConnection(operation) { connection in
            try await WriterHold.holding(self) {
                let started = ContinuousClock.now
                defer { observer?.writeTransactionFinished(duration: .now - started) }
                try await connection.run("BEGIN", operation: operation)
                do {
                    try await lock?.take(on: connection, operation: operation)
                    let value = try await body(connection)
                    try await connection.run("COMMIT", operation: operation)
                    return value
                } catch {
                    // A failed statement leaves the transaction aborted; ROLLBACK ends it. If the
                    // connection broke, the server has rolled back already and the pool drops it.
                    try? await connection.run("ROLLBACK", operation: operation)
                    throw error
                }
            }
        }
    }

    /// Runs `body` with a connection of its own, outside a transaction (each statement commits
    /// by itself, and sees what was committed before it started).
    func read<T: Sendable>(_ body: (PostgresExecutor) async throws -> T) async throws -> T {
        try await withConnection("read", body)
    }

    /// Runs `body` with a pooled connection; `closed` once the store is closed.
    func withConnection<T: Sendable>(_ operation: String, _ body: (PostgresExecutor) async throws -> T) async throws -> T {
        guard !isClosed.load(ordering: .sequentiallyConsistent) else { throw StoreError(.closed, operation: operation) }
        var leased = false
        do {
            return try await client.withConnection { connection in
                leased = true
                return try await body(PostgresExecutor(connection: connection, logger: logger))
            }
        } catch {
            // What `body` throws passes through as it is; a failed lease means the database
            // cannot be reached (or the pool has closed).
            guard !leased else { throw error }
            logger.error("no connection to the database", metadata: ["database": "\(url)", "error": "\(String(reflecting: error))"])
            throw error is PSQLError ? StoreError(postgres: error, operation: operation)
                : StoreError(.unavailable, operation: operation, engineReason: "no connection to the database")
        }
    }

    private static func clientConfiguration(_ url: PostgresURL) -> PostgresClient.Configuration {
        if let socketPath = url.socketPath {
            return PostgresClient.Configuration(unixSocketPath: socketPath, username: url.user, password: url.password, database: url.database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                            database: url.database, tls: tls)
    }
}
