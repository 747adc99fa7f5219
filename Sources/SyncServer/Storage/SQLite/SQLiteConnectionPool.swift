import Synchronization

/// A fixed set of connections, each lent to one user at a time, first come first served.
///
/// A pool of one is the store's write lock: the writer connection is held for a whole
/// transaction, across every `await` in it, so transactions never interleave (an actor would not
/// do: awaiting inside one of its methods lets the next call in). The read pool lends each read
/// its own connection so that a read never shares an SQLite read snapshot with another one that
/// started earlier and never sees another read's half-finished statement.
///
/// Waiting is not cancellable: every borrower holds a connection only for a few statements.
final class SQLiteConnectionPool<Connection: Sendable>: Sendable {
    private struct State {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection, Never>] = []
        var closed = false
    }

    private enum Acquire {
        case ready(Connection)
        case refused
        case wait
    }

    private let state: Mutex<State>
    private let all: [Connection]
    private let operationOnClose: String
    private let closeConnection: @Sendable (Connection) async throws -> Void

    /// A pool lending `connections`, which `close` closes with `closeConnection`; `name` appears
    /// in the error a borrower gets after `close`.
    init(_ connections: [Connection], name: String, close closeConnection: @escaping @Sendable (Connection) async throws -> Void) {
        precondition(!connections.isEmpty, "a pool needs at least one connection")
        self.all = connections
        self.state = Mutex(State(idle: connections))
        self.operationOnClose = name
        self.closeConnection = closeConnection
    }

    /// Runs `body` with a connection nobody else uses until it returns.
    func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await acquire(evenIfClosed: false)
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Refuses new borrowers, waits for the current ones (and those already waiting) to finish,
    /// then closes every connection. Calling it again does nothing.
    func close() async throws {
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        var taken: [Connection] = []
        for _ in all {
            taken.append(try await acquire(evenIfClosed: true))
        }
        var failure: (any Error)?
        for connection in taken {
            do {
                try await closeConnection(connection)
            } catch {
                failure = failure ?? StoreError(sqlite: error, operation: "close")
            }
        }
        if let failure { throw failure }
    }

    private func acquire(evenIfClosed: Bool) async throws -> Connection {
        let attempt: Acquire = state.withLock { state in
            if state.closed && !evenIfClosed { return .refused }
            if let connection = state.idle.popLast() { return .ready(connection) }
            return .wait
        }
        switch attempt {
        case .ready(let connection):
            return connection
        case .refused:
            throw StoreError(.closed, operation: operationOnClose)
        case .wait:
            return await withCheckedContinuation { continuation in
                // The state may have changed since the first look: look again under the lock.
                let ready: Connection? = state.withLock { state in
                    if let connection = state.idle.popLast() { return connection }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    private func release(_ connection: Connection) {
        let waiter: CheckedContinuation<Connection, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }
}
