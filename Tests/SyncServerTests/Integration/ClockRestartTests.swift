import Foundation
import SyncProtocol
@testable import SyncServer
import SyncTestSupport
import Testing

/// The tenant clocks of test control live in the database (TEST-5): a restarted server with test
/// control shows the same tenant time, and one started without test control ignores them.
@Suite("tenant clocks across restarts")
struct ClockRestartTests {
    @Test("a tenant clock survives a restart with test control; without test control every tenant runs on the real clock")
    func clockAcrossRestarts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("sync.sqlite").path
        let first = ServerProcess(databasePath: database)
        try await first.start()
        let server = LiveServer(process: first, issuer: try await TokenIssuer(hs256Secret: first.secret))
        let operatorToken = try await server.token(tenant: "t", device: nil, roles: ["operator"])
        // Two days ahead: every token minted now has expired in the tenant's time.
        let advanced = try await server.http("POST", "v1/test/clock", token: operatorToken, body: Data(#"{"advance_ms":172800000}"#.utf8))
        #expect(advanced.status == 200)
        let offset = try JSONDecoder().decode(ClockState.self, from: advanced.body).offsetMs
        #expect(first.terminate() == 0)

        let second = ServerProcess(databasePath: database)
        try await second.start()
        let again = LiveServer(process: second, issuer: try await TokenIssuer(hs256Secret: second.secret))
        let device = try await again.token(tenant: "t", device: "phone")
        #expect(try await again.http("GET", "v1/sync/pull", token: device).status == 401)
        #expect(second.terminate() == 0)

        let production = ServerProcess(databasePath: database, leadingArguments: ["serve"])
        try await production.start()
        let plain = LiveServer(process: production, issuer: try await TokenIssuer(hs256Secret: production.secret))
        #expect(try await plain.http("GET", "v1/sync/pull", token: try await plain.token(tenant: "t", device: "phone")).status == 200)
        #expect(production.terminate() == 0)
        #expect(offset >= 172_800_000 - 1_000)
    }
}
