import Foundation
import SyncProtocol
import SyncServer
import Testing

/// The `sync-server` process, spoken to only over real WebSocket and HTTP connections.
@Suite("sync-server over real sockets")
struct LiveServerTests {
    static func create(_ seq: Int64, _ id: String, _ fields: JSONObject) -> Mutation {
        Mutation(seq: seq, collection: "tasks", recordId: id, op: .create, baseVersion: 0, fields: fields, clientTime: 1_700_000_000_000)
    }

    static func update(_ seq: Int64, _ id: String, base: Int64, _ fields: JSONObject) -> Mutation {
        Mutation(seq: seq, collection: "tasks", recordId: id, op: .update, baseVersion: base, fields: fields, clientTime: 1_700_000_000_000)
    }

    @Test("two devices of a tenant see each other's changes in real time; another tenant sees nothing")
    func realTime() async throws {
        try await LiveServer.with { server in
            let (phone, _) = try await server.socket(tenant: "acme", device: "phone")
            let (laptop, _) = try await server.socket(tenant: "acme", device: "laptop")
            let (stranger, _) = try await server.socket(tenant: "globex", device: "phone")
            await phone.send(.push(PushMessage(requestId: "r1", idempotencyKey: "k1", mutations: [Self.create(1, "a", ["title": "hello"])])))
            guard case .pushResult(let result) = try await phone.next() else { Issue.record("expected push_result"); return }
            #expect(result.results.first?.status == .applied)
            guard case .change(let change) = try await laptop.next() else { Issue.record("expected change"); return }
            #expect(change.change.record.fields == ["title": "hello"] && change.change.originDevice == "phone")
            // The laptop answers over REST; the phone gets that change in real time too.
            let laptopToken = try await server.token(tenant: "acme", device: "laptop")
            let rest = try await server.push([Self.update(1, "a", base: 1, ["title": "edited"])], key: "k2", token: laptopToken)
            #expect(rest.status == 200 && rest.result?.results.first?.status == .applied)
            guard case .change(let back) = try await phone.next() else { Issue.record("expected change on the phone"); return }
            #expect(back.change.record.version == 2)
            guard case .change(let own) = try await laptop.next() else { Issue.record("a REST push reaches the author's socket too"); return }
            #expect(own.change.record.version == 2)
            // The stranger's next frame is the pong to its ping: nothing of acme came before it.
            await stranger.send(.ping(PingMessage(nonce: "n1")))
            guard case .pong(let pong) = try await stranger.next() else { Issue.record("expected only a pong"); return }
            #expect(pong.nonce == "n1")
            #expect(try await phone.next(timeout: .milliseconds(300)) == nil, "the author gets no change for its own push")
            for socket in [phone, laptop, stranger] { await socket.close() }
        }
    }

    @Test("a device reconnects and resumes from its acknowledged cursor")
    func resume() async throws {
        try await LiveServer.with { server in
            let phoneToken = try await server.token(tenant: "acme", device: "phone")
            _ = try await server.push((1...3).map { Self.create($0, "r\($0)", ["n": .int($0)]) }, key: "k1", token: phoneToken)
            let (laptop, welcome) = try await server.socket(tenant: "acme", device: "laptop")
            #expect(welcome.resumeCursor == nil)
            await laptop.send(.pull(PullMessage(requestId: "p1", limit: 2)))
            guard case .changes(let page) = try await laptop.next() else { Issue.record("expected changes"); return }
            #expect(page.changes.map(\.record.id) == ["r1", "r2"] && page.hasMore)
            await laptop.send(.ack(AckMessage(cursor: page.cursor)))
            guard case .acked(let acked) = try await laptop.next() else { Issue.record("expected acked"); return }
            #expect(acked.cursor == page.cursor)
            await laptop.close()
            _ = try await server.push([Self.create(4, "r4", ["n": 4])], key: "k2", token: phoneToken)
            let (again, resumed) = try await server.socket(tenant: "acme", device: "laptop")
            #expect(resumed.resumeCursor == page.cursor)
            await again.send(.pull(PullMessage(requestId: "p2", cursor: resumed.resumeCursor)))
            guard case .changes(let rest) = try await again.next() else { Issue.record("expected changes"); return }
            #expect(rest.changes.map(\.record.id) == ["r3", "r4"] && !rest.hasMore)
            await again.close()
        }
    }

    @Test("the same pushes over HTTP and over WebSocket give the same results")
    func sameOverBothTransports() async throws {
        try await LiveServer.with { server in
            let batches: [[Mutation]] = [
                [Self.create(1, "a", ["title": "one", "priority": "low"]), Self.create(2, "b", ["title": "two"])],
                [Self.update(3, "a", base: 1, ["priority": "high"]), Self.update(4, "a", base: 1, ["title": "stale"]), Self.update(5, "zz", base: 1, ["x": 1])],
                [Self.create(1, "a", ["title": "dup"]), Self.create(6, "c", ["title": "three"])],
            ]
            let restToken = try await server.token(tenant: "over-http", device: "d1")
            var overHTTP: [PushResult] = []
            for (index, batch) in batches.enumerated() {
                overHTTP.append(try #require(try await server.push(batch, key: "k\(index)", token: restToken).result))
            }
            let (socket, _) = try await server.socket(tenant: "over-ws", device: "d1")
            var overWebSocket: [PushResult] = []
            for (index, batch) in batches.enumerated() {
                await socket.send(.push(PushMessage(requestId: "r\(index)", idempotencyKey: "k\(index)", mutations: batch)))
                guard case .pushResult(let message) = try await socket.next() else { Issue.record("expected push_result"); return }
                overWebSocket.append(PushResult(results: message.results, synced: message.synced, failed: message.failed, cursor: message.cursor, replayed: message.replayed))
            }
            await socket.close()
            func comparable(_ results: [PushResult]) -> [[MutationResult]] {
                results.map { $0.results.map { result in
                    var copy = result
                    copy.record?.updatedAt = 0
                    return copy
                } }
            }
            #expect(comparable(overHTTP) == comparable(overWebSocket))
            #expect(overHTTP.map(\.synced) == overWebSocket.map(\.synced) && overHTTP.map(\.failed) == overWebSocket.map(\.failed))
            #expect(overHTTP[1].results.map(\.status) == [.applied, .conflictResolved, .rejected])
            #expect(overHTTP[2].results.map(\.status) == [.duplicate, .applied])
        }
    }

    @Test("a session ends with token_expired and close 4401 when its token expires")
    func tokenExpiry() async throws {
        try await LiveServer.with { server in
            let token = try await server.issuer.mint(tenant: "acme", user: "u", device: "phone", ttlSeconds: 2)
            let socket = try await LiveSocket.connect(port: server.process.port, token: token)
            _ = try await socket.handshake()
            guard case .error(let error) = try await socket.next(timeout: .seconds(10)) else { Issue.record("expected token_expired"); return }
            #expect(error.code == "token_expired")
            #expect(try await socket.next(timeout: .seconds(5)) == nil, "the server closes the connection")
            await socket.close()
        }
    }

    @Test("bad input gets its code and the server stays up")
    func badInput() async throws {
        try await LiveServer.with { server in
            let (socket, _) = try await server.socket(tenant: "acme", device: "phone")
            for (frame, code) in [("not json", "malformed_frame"), ("{\"type\": \"teleport\"}", "unknown_message_type"),
                                  ("{\"type\": \"push\", \"request_id\": \"r\", \"idempotency_key\": \"k\", \"mutations\": []}", "invalid_message")] {
                await socket.send(raw: frame)
                guard case .error(let error) = try await socket.next() else { Issue.record("expected error for \(frame)"); continue }
                #expect(error.code == code)
            }
            await socket.send(.ping(PingMessage(nonce: "still-open")))
            guard case .pong = try await socket.next() else { Issue.record("the connection should stay open"); return }
            await socket.close()
            let token = try await server.token(tenant: "acme", device: "phone")
            let malformed = try await server.http("POST", "v1/sync/push", token: token, body: Data("{".utf8), headers: ["Idempotency-Key": "k"])
            #expect(malformed.status == 400 && malformed.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            let unauthenticated = try await server.http("GET", "v1/sync/pull", token: "nope")
            #expect(unauthenticated.status == 401)
            #expect(try await server.http("GET", "health", token: nil).status == 200)
        }
    }
}
