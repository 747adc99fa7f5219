import SyncTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncProtocol
import SyncServer

/// A running server process with a token issuer and a small HTTP client, for tests that talk to
/// the server only over the wire.
struct LiveServer {
    let process: ServerProcess
    let issuer: TokenIssuer

    /// Starts a server on a new SQLite file (with `arguments` added to its command line), runs
    /// `body`, and stops the server and removes the file.
    static func with(arguments: [String] = [], _ body: (LiveServer) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = ServerProcess(databasePath: folder.appendingPathComponent("sync.sqlite").path)
        try await process.start(extraArguments: arguments)
        defer { process.terminate() }
        try await body(LiveServer(process: process, issuer: try await TokenIssuer(hs256Secret: process.secret)))
    }

    /// A device token of `tenant`.
    func token(tenant: String, device: String?, roles: [String] = []) async throws -> String {
        try await issuer.mint(tenant: tenant, user: "user-\(device ?? "ops")", device: device, roles: roles)
    }

    /// A WebSocket session, past the handshake.
    func socket(tenant: String, device: String) async throws -> (LiveSocket, WelcomeMessage) {
        let socket = try await LiveSocket.connect(port: process.port, token: try await token(tenant: tenant, device: device))
        return (socket, try await socket.handshake())
    }

    /// One HTTP exchange: status, headers (lowercased names) and body.
    func http(_ method: String, _ path: String, token: String?, body: Data? = nil, headers: [String: String] = [:]) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: process.baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var lowered: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { lowered["\(name)".lowercased()] = "\(value)" }
        return (http?.statusCode ?? 0, lowered, data)
    }

    /// Pushes over REST and decodes the result.
    func push(_ mutations: [Mutation], key: String, token: String) async throws -> (status: Int, headers: [String: String], result: PushResult?) {
        let body = WireCodec.encode(PushRequest(mutations: mutations))
        let response = try await http("POST", "v1/sync/push", token: token, body: body, headers: ["Idempotency-Key": key])
        return (response.status, response.headers, try? JSONDecoder().decode(PushResult.self, from: response.body))
    }
}
