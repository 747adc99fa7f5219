import Foundation
import SyncServer
import SyncTestSupport
import Testing

/// The rate-limit gate in a real server: a device over its push limit is refused 429 on a kept
/// connection before routing, pipelined requests are answered in order, and other classes and
/// the connection itself go on as before (LIM-6).
@Suite("Rate-limit gate over a real socket")
struct RateLimitGateLiveTests {
    @Test("refusals before routing on a kept-alive connection, pipelined ones in order, other classes unaffected")
    func gateOnAKeptConnection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = ServerProcess(databasePath: folder.appendingPathComponent("sync.sqlite").path)
        try await server.start(extraArguments: ["--rate-limit", "device.push=1/1"])
        defer { _ = server.terminate() }
        let token = try await TokenIssuer(hs256Secret: server.secret).mint(tenant: "gate", user: "u", device: "d", ttlSeconds: 3600)

        let socket = try RawSocket(port: server.port)
        #expect(socket.send(Self.push(seq: 1, token: token)))
        #expect(try status(socket.receiveResponse()) == 200)
        for seq in 2...3 {
            #expect(socket.send(Self.push(seq: seq, token: token)))
            let refused = try #require(socket.receiveResponse())
            try expectRateLimited(refused)
        }
        // Three pushes in one write: three answers, in order, each whole.
        #expect(socket.send((4...6).flatMap { Self.push(seq: $0, token: token) }))
        for _ in 4...6 { try expectRateLimited(try #require(socket.receiveResponse())) }
        // Pulls have their own bucket, on the same connection.
        #expect(socket.send(Array("GET /v1/sync/pull HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)))
        #expect(try status(socket.receiveResponse()) == 200)

        // A new connection whose first request is refused: answered, then closed, quietly.
        for seq in 7...9 {
            let fresh = try RawSocket(port: server.port)
            #expect(fresh.send(Self.push(seq: seq, token: token)))
            let refused = try #require(fresh.receiveResponse())
            try expectRateLimited(refused)
            #expect(refused.head.lowercased().contains("connection: close"))
            #expect(fresh.receive(until: nil, timeoutMs: 2000).isEmpty, "closed by the server")
        }
        let health = try RawSocket(port: server.port)
        #expect(health.send(Array("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)))
        #expect(try status(health.receiveResponse()) == 200)

        let gateLines = server.log.split(separator: "\n").filter {
            $0.contains("request refused") && $0.contains("code=rate_limited") && !$0.contains("hb.request.id")
        }
        #expect(gateLines.count == 8, "the gate answered every refusal, with its access-log line")
        #expect(!server.log.contains(" error "), "no error logged: \(server.log.split(separator: "\n").filter { $0.contains(" error ") })")
    }

    private func status(_ response: (head: String, body: [UInt8])?) throws -> Int? {
        try #require(response?.head).httpStatus
    }

    private func expectRateLimited(_ response: (head: String, body: [UInt8])) throws {
        #expect(try status(response) == 429)
        let problem = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(problem?["code"] as? String == "rate_limited")
        let retryAfterMs = try #require(problem?["retry_after_ms"] as? Int)
        #expect(response.head.lowercased().contains("retry-after: \((retryAfterMs + 999) / 1000)"))
        #expect(response.head.lowercased().contains("content-type: application/problem+json"))
    }

    private static func push(seq: Int, token: String) -> [UInt8] {
        let body = #"{"mutations":[{"seq":\#(seq),"collection":"notes","record_id":"n\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"fields":{"n":\#(seq)}}]}"#
        return Array(("POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
            + "Idempotency-Key: k-\(seq)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }
}
