import SyncTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncProtocol
import SyncServer
import Testing

/// The tests that start `fault-injection-server` processes, two at a time (each compares a fault
/// with `--fault none`), so they do not crowd out the other suites' servers.
@Suite("fault-injection-server processes", .serialized)
struct FaultInjectionTests {}

/// `fault-injection-server` processes for tests: the same exchange run against the faithful
/// server (`--fault none`) and a faulty one, side by side.
enum FaultServer {
    /// Starts `fault-injection-server --fault <fault>` on a new SQLite file, runs `body`, and stops
    /// the server and removes the file.
    static func with<T: Sendable>(_ fault: String, _ body: (LiveServer) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fault-\(fault)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = ServerProcess(databasePath: folder.appendingPathComponent("sync.sqlite").path,
                                    executable: "fault-injection-server", leadingArguments: ["--fault", fault])
        try await process.start()
        defer { process.terminate() }
        return try await body(LiveServer(process: process, issuer: try await TokenIssuer(hs256Secret: process.secret)))
    }

    /// What `exchange` observes on the faithful server and on the server with `fault`, run
    /// concurrently.
    static func compare<T: Sendable>(_ fault: String, _ exchange: @escaping @Sendable (LiveServer) async throws -> T) async throws -> (reference: T, faulty: T) {
        async let reference = with("none", exchange)
        async let faulty = with(fault, exchange)
        return try await (reference, faulty)
    }
}

extension FaultServer {
    /// A create in `tasks`.
    static func create(_ seq: Int64, _ id: String, _ fields: JSONObject = ["title": "hello"]) -> Mutation {
        Mutation(seq: seq, collection: "tasks", recordId: id, op: .create, baseVersion: 0, fields: fields, clientTime: 1_700_000_000_000)
    }

    /// The registry code of a problem body, or `nil` when the body is not one.
    static func problemCode(_ body: Data) -> String? {
        (try? JSONDecoder().decode(Problem.self, from: body))?.code
    }

    /// Pulls over REST from `cursor`: the page, or the problem's code.
    static func pull(_ server: LiveServer, token: String, cursor: String? = nil) async throws -> (page: ChangePage?, code: String?) {
        let path = "/v1/sync/pull" + (cursor.map { "?cursor=\($0)" } ?? "")
        var request = URLRequest(url: URL(string: server.process.baseURL.absoluteString + path)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try? JSONDecoder().decode(ChangePage.self, from: data), problemCode(data))
    }
}
