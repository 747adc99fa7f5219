import Foundation
import SyncTestSupport

/// A server for a conformance run: `SyncTestSupport`'s `ServerProcess` in a temporary folder of
/// its own (reports go there too), with the per-tenant storage quota the reference profile's
/// `storage-quota` feature expects (1 GiB) and the profile's small replay cache (64 batches), so
/// that vectors also reach replays read from the database.
final class ConformanceServer: Sendable {
    /// The server's folder: its database, data and the reports a test writes.
    let directory: URL
    private let process: ServerProcess
    private let extraArguments: [String]
    /// The PostgreSQL database this server uses, if any.
    private let postgresDatabase: String?
    /// Whether `stop` removes the folder and drops the database (not for a peer node).
    private let ownsData: Bool

    /// The HS256 secret the server verifies tokens with.
    var secret: String { process.secret }
    /// `http://127.0.0.1:PORT`, or `https://` when started with `--tls-cert`.
    var url: String { "\(extraArguments.contains("--tls-cert") ? "https" : "http")://127.0.0.1:\(process.port)" }

    /// A `sync-server serve --test-control` process, or another server binary built beside the
    /// tests taking the same options after `leadingArguments` (`fault-injection-server --fault NAME`).
    /// With `postgres`, its data is in a new database of the tests' PostgreSQL server (`TestPostgres`).
    init(executable: String = "sync-server", leadingArguments: [String] = ["serve", "--test-control"], extraArguments: [String] = [],
         postgres: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        postgresDatabase = postgres ? try TestPostgres.createDatabase() : nil
        process = ServerProcess(databasePath: directory.appendingPathComponent("db.sqlite").path,
                                databaseURL: try postgresDatabase.map(TestPostgres.url(database:)), executable: executable,
                                leadingArguments: leadingArguments)
        self.extraArguments = extraArguments
        ownsData = true
    }

    /// A second node of `other`'s deployment: another `sync-server serve --test-control` process
    /// on the same PostgreSQL database and data directory (POL-4's `peer`).
    init(peerOf other: ConformanceServer) throws {
        guard let database = other.postgresDatabase else { throw PeerNeedsPostgreSQL() }
        directory = other.directory
        postgresDatabase = database
        process = ServerProcess(databasePath: directory.appendingPathComponent("db.sqlite").path,
                                databaseURL: try TestPostgres.url(database: database))
        extraArguments = []
        ownsData = false
    }

    /// Starts the server and waits until it listens (or 30 seconds pass).
    func start() async throws {
        try await process.start(extraArguments: ["--storage-quota", "1073741824", "--idempotency-cache-entries", "64"] + extraArguments)
    }

    /// Stops the server and removes its folder and database, unless it is a peer node.
    func stop() {
        process.terminate()
        guard ownsData else { return }
        try? FileManager.default.removeItem(at: directory)
        if let postgresDatabase { try? TestPostgres.dropDatabase(postgresDatabase) }
    }
}

/// Only a server on PostgreSQL can have a peer node.
struct PeerNeedsPostgreSQL: Error {}
