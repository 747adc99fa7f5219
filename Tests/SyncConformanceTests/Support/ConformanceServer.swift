import Foundation
import SyncTestSupport

/// A server for a conformance run: `SyncTestSupport`'s `ServerProcess` in a temporary folder of
/// its own (reports go there too), with the per-tenant storage quota the reference profile's
/// `storage-quota` feature expects (1 GiB).
final class ConformanceServer: Sendable {
    /// The server's folder: its database, data and the reports a test writes.
    let directory: URL
    private let process: ServerProcess
    private let extraArguments: [String]
    /// The PostgreSQL database made for this server, dropped by `stop`.
    private let postgresDatabase: String?

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
    }

    /// Starts the server and waits until it listens (or 30 seconds pass).
    func start() async throws {
        try await process.start(extraArguments: ["--storage-quota", "1073741824"] + extraArguments)
    }

    /// Stops the server and removes its folder.
    func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: directory)
        if let postgresDatabase { try? TestPostgres.dropDatabase(postgresDatabase) }
    }
}
