import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncClient
import SyncClientWebSocket
import SyncProtocol
import SyncServer
import SyncTestSupport

/// A real `sync-server` on loopback in a throwaway directory, which a test can stop or kill and
/// start again on the same port and database, with SDK clients of one tenant on their own SQLite
/// stores and the REST calls an operator or another device makes.
final class LiveDeployment: @unchecked Sendable {
    // @unchecked: `server` is replaced by `startServer()`; each test drives its deployment from
    // one task.
    let directory: URL
    let tenant = "tenant-\(UUID().uuidString.prefix(8).lowercased())"
    private(set) var server: ServerProcess
    private var port = 0

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("client-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = ServerProcess(databasePath: directory.appendingPathComponent("server.sqlite").path)
        try await server.start()
        port = server.port
    }

    /// The server's base URL; the same across restarts.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Stops the server gracefully (SIGTERM) and waits for it.
    func stopServer() {
        _ = server.terminate()
    }

    /// Kills the server (SIGKILL).
    func killServer() {
        server.kill()
    }

    /// Starts the server again on the same port and database.
    func startServer() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let next = ServerProcess(databasePath: server.databasePath, port: port)
            do {
                try await next.start()
                server = next
                return
            } catch {
                // The port may linger for a moment after a kill.
                if ContinuousClock.now > deadline { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// A token of this tenant for `device`.
    func token(device: String, roles: [String] = []) async throws -> String {
        try await TokenIssuer(hs256Secret: server.secret).mint(tenant: tenant, user: "user-\(device)", device: device, roles: roles)
    }

    /// A store file path for `device`.
    func storePath(_ device: String) -> String {
        directory.appendingPathComponent("\(device).sqlite").path
    }

    /// An SDK client for `device` on its own SQLite store, reconnecting quickly (tests wait for it).
    /// `batchSize` limits the mutations per push (more pushes, more moments to crash in).
    func client(_ device: String, connector: (any SyncConnector)? = nil, batchSize: Int? = nil) async throws -> SyncClient {
        var configuration = SyncClientConfiguration(serverURL: baseURL, reconnectBackoff: Backoff(baseMs: 100, capMs: 1000))
        configuration.uploader.backoff = Backoff(baseMs: 100, capMs: 1000)
        if let batchSize { configuration.uploader.maxMutationsPerBatch = batchSize }
        return SyncClient(configuration: configuration, store: try SQLiteClientStore(path: storePath(device)),
                          connector: connector ?? WebSocketConnector(openTimeout: .seconds(3)),
                          tokens: StaticTokenProvider(try await token(device: device)))
    }

    /// Sets a collection's conflict policy (as an operator); `body` is a `CollectionPolicy` in JSON.
    func setPolicy(_ collection: String, _ body: String) async throws {
        let (status, data) = try await request("PUT", "/v1/policies/collections/\(collection)", body: Data(body.utf8),
                                               token: try await token(device: "operator", roles: ["operator"]))
        guard status == 200 else { throw LiveFailure("setting the policy answered \(status): \(String(decoding: data, as: UTF8.self))") }
    }

    /// Every record of the tenant as the server has it (deleted ones included), read with
    /// `pullChanges` from the start by an observer device: the last change of each key wins.
    func serverRecords() async throws -> [RecordKey: Record] {
        let token = try await token(device: "observer")
        var records: [RecordKey: Record] = [:]
        var cursor: String?
        while true {
            let query = cursor.map { "?limit=1000&cursor=\($0)" } ?? "?limit=1000"
            let (status, data) = try await request("GET", "/v1/sync/pull" + query, token: token)
            guard status == 200 else { throw LiveFailure("pull answered \(status): \(String(decoding: data, as: UTF8.self))") }
            let page = try WireCodec.decode(ChangePage.self, from: data)
            for change in page.changes { records[RecordKey(collection: change.record.collection, id: change.record.id)] = change.record }
            cursor = page.cursor
            if !page.hasMore { return records }
        }
    }

    /// How many changes the server's change log holds for the tenant.
    func changeCount() async throws -> Int {
        let token = try await token(device: "observer")
        var count = 0
        var cursor: String?
        while true {
            let query = cursor.map { "?limit=1000&cursor=\($0)" } ?? "?limit=1000"
            let (_, data) = try await request("GET", "/v1/sync/pull" + query, token: token)
            let page = try WireCodec.decode(ChangePage.self, from: data)
            count += page.changes.count
            cursor = page.cursor
            if !page.hasMore { return count }
        }
    }

    /// One REST call with a bearer token.
    func request(_ method: String, _ path: String, body: Data? = nil, token: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Stops the server and removes the directory.
    func tearDown() {
        _ = server.terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A failed step of a live test.
struct LiveFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
