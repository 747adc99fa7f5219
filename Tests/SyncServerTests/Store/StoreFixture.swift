import Foundation
import SyncServer
import SyncTestSupport
import Testing

/// A kind of `SyncStore` the shared store suite runs against. The suite sees only the
/// `SyncStore` protocol, so another implementation (PostgreSQL) joins by adding a fixture to
/// `all`, without changing a test.
struct StoreFixture: Sendable, CustomTestStringConvertible {
    /// Shown in test names.
    var name: String
    /// Creates an empty database and says where it is.
    var create: @Sendable () async throws -> String
    /// Opens the database and migrates it.
    var open: @Sendable (String) async throws -> any SyncStore
    /// Closes a store that `open` returned, waiting for its work to finish.
    var close: @Sendable (any SyncStore) async throws -> Void
    /// Deletes the database.
    var drop: @Sendable (String) async throws -> Void

    var testDescription: String { name }

    /// Every implementation the suite covers.
    static let all: [StoreFixture] = [.sqlite, .postgres]

    /// Runs `body` with a new, migrated store; closes and deletes it afterwards, also on failure.
    func withStore(_ body: (any SyncStore) async throws -> Void) async throws {
        try await withDatabase { database in
            let store = try await open(database)
            do {
                try await body(store)
            } catch {
                try? await close(store)
                throw error
            }
            try await close(store)
        }
    }

    /// Runs `body` with a new database that it may open and close as often as it likes (for
    /// durability tests); deletes it afterwards.
    func withDatabase(_ body: (String) async throws -> Void) async throws {
        let database = try await create()
        do {
            try await body(database)
        } catch {
            try? await drop(database)
            throw error
        }
        try await drop(database)
    }
}

extension StoreFixture {
    /// `SQLiteSyncStore` on a file in the temporary directory, with the production settings.
    static let sqlite = StoreFixture(
        name: "SQLite",
        create: { temporaryDatabasePath() },
        open: { path in
            let store = try await SQLiteSyncStore.open(path: path)
            do {
                try await store.migrate()
            } catch {
                try? await store.close()
                throw error
            }
            return store
        },
        close: { store in
            try await (store as? SQLiteSyncStore)?.close()
        },
        drop: { path in removeDatabase(at: path) })

    /// `PostgresSyncStore` on a new database of the tests' PostgreSQL server (`TestPostgres`).
    static let postgres = StoreFixture(
        name: "PostgreSQL",
        create: { try TestPostgres.createDatabase() },
        open: { database in
            let store = try await PostgresSyncStore.open(url: PostgresURL(parsing: try TestPostgres.url(database: database)), maximumConnections: 8)
            do {
                try await store.migrate()
            } catch {
                await store.close()
                throw error
            }
            return store
        },
        close: { store in
            await (store as? PostgresSyncStore)?.close()
        },
        drop: { database in try TestPostgres.dropDatabase(database) })

    /// A path for a new database file.
    static func temporaryDatabasePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mobilesync-store-\(UUID().uuidString).sqlite").path
    }

    /// Deletes a database file with its WAL and shared-memory files.
    static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
