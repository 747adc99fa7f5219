import Foundation
import Logging
@testable import SyncServer
import Testing

/// The SQLite store's own writer connection: statements it keeps prepared, values it binds and
/// reads, the errors it classifies, and the thread write transactions run on.
@Suite("SQLite writer connection")
struct SQLiteDatabaseTests {
    private func withDatabase(cachedStatements: Int = 64, _ body: (SQLiteDatabase, String) throws -> Void) throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let database = try SQLiteDatabase.open(path: path, cachedStatements: cachedStatements)
        defer { try? database.close() }
        try database.runNow("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT, size REAL)", [], operation: "test")
        try body(database, path)
    }

    private func code(_ body: () throws -> Void) -> StoreError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? StoreError)?.code
        }
    }

    @Test("Integers, text (with NUL and non-ASCII characters) and NULL are bound and read back as they were")
    func valuesRoundTrip() throws {
        try withDatabase { database, _ in
            let text = "a\u{0}b é 漢 🙂"
            try database.runNow("INSERT INTO t (id, name, note) VALUES (?, ?, ?)", [.integer(Int64.max), .text(text), .null], operation: "test")
            try database.runNow("INSERT INTO t (id, name, note) VALUES (?, ?, ?)", [.integer(Int64.min), .text(""), .text("x")], operation: "test")
            let rows = try database.rowsNow("SELECT id, name, note FROM t ORDER BY id", [], operation: "test")
            #expect(rows.map(\.values) == [[.integer(Int64.min), .text(""), .text("x")], [.integer(Int64.max), .text(text), .null]])
            #expect(rows.first?.names == ["id", "name", "note"])
        }
    }

    @Test("A statement is prepared once and kept; the least recently used goes when the cache is full")
    func statementCacheIsBounded() throws {
        try withDatabase(cachedStatements: 2) { database, _ in
            #expect(database.cachedStatementCount == 1)  // the CREATE TABLE
            for round in 1...3 {
                try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("n\(round)")], operation: "test")
            }
            #expect(database.cachedStatementCount == 2)
            for round in 1...5 {
                _ = try database.rowsNow("SELECT COUNT(*) AS n FROM t WHERE id > ?", [.integer(Int64(round))], operation: "test")
                _ = try database.rowsNow("SELECT name FROM t WHERE id = ?", [.integer(Int64(round))], operation: "test")
                #expect(database.cachedStatementCount == 2)
            }
            // An evicted statement is prepared again when it comes back.
            try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("n4")], operation: "test")
            #expect(try database.rowsNow("SELECT COUNT(*) AS n FROM t", [], operation: "test").first?.column("n") == .integer(4))
        }
    }

    @Test("A failed statement is reset: the same statement runs again, and no write lock is left behind")
    func failureResetsStatement() throws {
        try withDatabase { database, path in
            try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("same")], operation: "test")
            #expect(code { try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("same")], operation: "test") } == .constraint)
            try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("other")], operation: "test")
            let second = try SQLiteDatabase.open(path: path)
            defer { try? second.close() }
            try second.runNow("PRAGMA busy_timeout = 0", [], operation: "test")
            try second.runNow("INSERT INTO t (name) VALUES (?)", [.text("from the second")], operation: "test")
            #expect(try database.rowsNow("SELECT COUNT(*) AS n FROM t", [], operation: "test").first?.column("n") == .integer(3))
        }
    }

    @Test("Too few or too many values, two statements in one text, and empty SQL are refused before anything runs")
    func malformedCallsAreRefused() throws {
        try withDatabase { database, _ in
            #expect(code { try database.runNow("INSERT INTO t (name, note) VALUES (?, ?)", [.text("a")], operation: "test") } == .database)
            #expect(code { try database.runNow("INSERT INTO t (name) VALUES (?)", [.text("a"), .text("b")], operation: "test") } == .database)
            #expect(code { try database.runNow("INSERT INTO t (name) VALUES ('a'); DROP TABLE t", [], operation: "test") } == .database)
            #expect(code { try database.runNow("  -- nothing ", [], operation: "test") } == .database)
            #expect(code { try database.runNow("SELEKT 1", [], operation: "test") } == .database)
            #expect(try database.rowsNow("SELECT COUNT(*) AS n FROM t", [], operation: "test").first?.column("n") == .integer(0))
            try database.runNow("SELECT 1;  ", [], operation: "test")
        }
    }

    @Test("A column of a type the store never writes is an error when read, not when the rows are skipped")
    func foreignColumnType() throws {
        try withDatabase { database, _ in
            try database.runNow("INSERT INTO t (name, size) VALUES ('a', 1.5)", [], operation: "test")
            #expect(code { _ = try database.rowsNow("SELECT size FROM t", [], operation: "test") } == .corrupt)
            try database.runNow("SELECT size FROM t", [], operation: "test")
        }
    }

    @Test("A lock held by another connection past the busy timeout is busy; a closed connection is closed")
    func busyAndClosed() throws {
        try withDatabase { database, path in
            let other = try SQLiteDatabase.open(path: path)
            defer { try? other.close() }
            try database.runNow("PRAGMA busy_timeout = 0", [], operation: "test")
            try other.runNow("BEGIN IMMEDIATE", [], operation: "test")
            #expect(code { try database.runNow("INSERT INTO t (name) VALUES ('a')", [], operation: "test") } == .busy)
            try other.runNow("ROLLBACK", [], operation: "test")
            try other.close()
            try other.close()
            #expect(code { try other.runNow("SELECT 1", [], operation: "test") } == .closed)
        }
    }

    @Test("A database that cannot be opened is an I/O error")
    func cannotOpen() {
        #expect(code { _ = try SQLiteDatabase.open(path: "/nonexistent-\(UUID().uuidString)/db.sqlite") } == .io)
    }

    @Test("Past the threshold a commit starts a checkpoint on the checkpointer's thread; below it none")
    func checkpointerRunsPastThreshold() async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let writer = try SQLiteDatabase.open(path: path)
        defer { try? writer.close() }
        #expect(try writer.rowsNow("PRAGMA journal_mode = WAL", [], operation: "test").first?.column("journal_mode") == .text("wal"))
        let checkpointer = try SQLiteCheckpointer(path: path, busyTimeoutMilliseconds: 1000, logger: Logger(label: "test"))
        writer.reportWAL(to: checkpointer)
        try writer.runNow("CREATE TABLE filler (v TEXT NOT NULL)", [], operation: "test")
        let row = String(repeating: "x", count: 100_000)
        // About 25 pages a row: 36 rows stay below 1,000 pages, the 41st passes them.
        for _ in 0..<36 { try writer.runNow("INSERT INTO filler (v) VALUES (?)", [.text(row)], operation: "test") }
        try await Task.sleep(for: .milliseconds(200))
        #expect(checkpointer.completed == 0)
        for _ in 0..<5 { try writer.runNow("INSERT INTO filler (v) VALUES (?)", [.text(row)], operation: "test") }
        let deadline = ContinuousClock.now + .seconds(20)
        while checkpointer.completed == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(checkpointer.completed >= 1)
        try writer.close()
        await checkpointer.close()
    }

    @Test("Write transactions run on the writer's thread, reads and the caller elsewhere")
    func writesRunOnWriterThread() async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path)
        do {
            try await store.migrate()
            let inside = try await store.write(tenant: "tenant-a") { transaction in
                let before = currentThreadName()
                _ = try await transaction.record(tenant: "tenant-a", collection: "c", id: "r")
                return [before, currentThreadName()]
            }
            #expect(inside == ["sqlite-writer", "sqlite-writer"])
            #expect(currentThreadName() != "sqlite-writer")
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}

/// The running thread's name (a synchronous function: `Thread.current` is not for async code).
private func currentThreadName() -> String? {
    Thread.current.name
}
