import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import NIOCore
import NIOWebSocket
import SyncProtocol
@testable import SyncServer
import Testing

/// The WebSocket transport end to end: a live server on port 0 and HummingbirdWSClient.
@Suite(.timeLimit(.minutes(1))) struct WebSocketTests {
    // MARK: Upgrade

    @Test func theUpgradeSelectsTheSubprotocol() async throws {
        try await withLiveServer(makeTransport()) { client in
            let request = upgradeRequest(headers: ["Sec-WebSocket-Protocol: chat, mobilesync.v1", "Authorization: Bearer \(TestToken.device)"])
            let answer = parseRawResponse(try await rawHTTPExchange(port: client.port, request) { $0.contains("\r\n\r\n") })
            #expect(answer.status == 101)
            #expect(answer.headers["sec-websocket-protocol"] == ProtocolInfo.subprotocol)
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var path = ProtocolInfo.websocketPath
        var headers: [String]
        var code: ErrorCode
        var testDescription: String { code.rawValue + " " + headers.joined(separator: "; ") }
    }

    static let refusals: [Refusal] = [
        Refusal(headers: ["Sec-WebSocket-Protocol: mobilesync.v1"], code: .unauthorized),
        Refusal(headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer forged"], code: .unauthorized),
        Refusal(headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer \(TestToken.expired)"], code: .tokenExpired),
        Refusal(
            path: ProtocolInfo.websocketPath + "?token=\(TestToken.device)",
            headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer \(TestToken.device)"], code: .unauthorized
        ),
        Refusal(headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer \(TestToken.userWithoutDevice)"], code: .forbidden),
        Refusal(headers: ["Authorization: Bearer \(TestToken.device)"], code: .unsupportedProtocolVersion),
        Refusal(headers: ["Sec-WebSocket-Protocol: mobilesync.v2", "Authorization: Bearer \(TestToken.device)"], code: .unsupportedProtocolVersion),
        Refusal(path: "/v1/elsewhere", headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer \(TestToken.device)"], code: .notFound),
    ]

    @Test(arguments: refusals)
    func aRefusedUpgradeIsAProblemBeforeSwitching(refusal: Refusal) async throws {
        let service = FakeSyncService()
        try await withLiveServer(makeTransport(service: service)) { client in
            let raw = try await rawHTTPExchange(port: client.port, upgradeRequest(path: refusal.path, headers: refusal.headers))
            let answer = parseRawResponse(raw)
            let info = try #require(refusal.code.info)
            #expect(answer.status == info.status)
            #expect(answer.headers["content-type"] == "application/problem+json")
            let problem = try JSONDecoder().decode(Problem.self, from: Data(answer.body.utf8))
            #expect(problem.code == refusal.code.rawValue)
            #expect(problem.status == Int64(info.status))
            if info.status == 401 { #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true) }
        }
        #expect(service.calls.isEmpty)
    }

    @Test func theTokenMayComeAsAQueryParameter() async throws {
        let service = FakeSyncService()
        try await withLiveServer(makeTransport(service: service)) { client in
            _ = try await withTestSocket(port: client.port, token: nil, path: ProtocolInfo.websocketPath + "?token=\(TestToken.device)") { socket in
                _ = try await socket.handshake()
            }
        }
        #expect(service.principals == [TestToken.devicePrincipal])
    }

    // MARK: Session

    @Test func helloWelcomePushPullAndAck() async throws {
        let service = FakeSyncService()
        let limits = TransportLimits(heartbeatInterval: .seconds(20), heartbeatTimeout: .seconds(60))
        try await withLiveServer(makeTransport(service: service, limits: limits)) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                let welcome = try await socket.handshake()
                #expect(welcome.sessionId.hasPrefix("s_"))
                #expect(welcome.deviceId == "ios-1")
                #expect(welcome.heartbeatIntervalMs == 20_000)
                #expect(welcome.heartbeatTimeoutMs == 60_000)
                #expect(welcome.lastSeq == 41)

                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 42)])))
                #expect(try await socket.receive() == .pushResult(PushResultMessage(
                    requestId: "r-1", idempotencyKey: "k-1", replayed: false,
                    results: [MutationResult(seq: 42, collection: "tasks", recordId: "task-1", status: .applied, version: 1)],
                    synced: 1, failed: 0, cursor: "c_2a"
                )))

                try await socket.send(.pull(PullMessage(requestId: "r-2", cursor: "c_1", limit: 5)))
                guard case .changes(let changes) = try await socket.receive() else { throw TestSocketError.unexpected }
                #expect(changes.requestId == "r-2")
                #expect(changes.cursor == "c_2b")

                try await socket.send(.ack(AckMessage(requestId: "r-3", cursor: "c_2b")))
                #expect(try await socket.receive() == .acked(AckedMessage(requestId: "r-3", cursor: "c_2b")))
            }
            #expect(close?.closeCode == .normalClosure)
        }
        let calls = service.calls
        try #require(calls.count == 4)
        guard case .welcome(_, let welcomeSession) = calls[0], case .push(let key, _, let pushSession) = calls[1] else {
            Issue.record("unexpected calls \(calls)")
            return
        }
        #expect(key == "k-1")
        #expect(pushSession == welcomeSession, "the push names the session so its author is skipped")
        #expect(calls[2] == .pull(cursor: "c_1", limit: 5, collections: nil))
        #expect(calls[3] == .acknowledge(cursor: "c_2b"))
    }

    @Test func requestsBeforeHelloAreRefusedAndTheConnectionStaysOpen() async throws {
        let service = FakeSyncService()
        try await withLiveServer(makeTransport(service: service)) { client in
            _ = try await withTestSocket(port: client.port) { socket in
                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 1)])))
                let error = try await socket.receiveError()
                #expect(error.code == ErrorCode.helloRequired.rawValue)
                #expect(error.requestId == "r-1")
                _ = try await socket.handshake()
                try await socket.send(.hello(helloMessage))
                #expect(try await socket.receiveError().code == ErrorCode.duplicateHello.rawValue)
            }
        }
        #expect(service.effectiveCalls.count == 1, "only the hello reached the service")
    }

    @Test func everyRefusalIsLoggedWithItsCodeAndRequest() async throws {
        let capture = LogCapture()
        try await withLiveServer(makeTransport(logger: capture.logger)) { client in
            _ = try await withTestSocket(port: client.port) { socket in
                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 1)])))
                _ = try await socket.receiveError()
                _ = try await socket.handshake()
                try await socket.send("this is not json")
                _ = try await socket.receiveError()
            }
        }
        let refused = capture.lines("message refused")
        #expect(refused.map { $0.metadata["code"] } == [ErrorCode.helloRequired.rawValue, ErrorCode.malformedFrame.rawValue])
        #expect(refused.map { $0.metadata["request_id"] } == ["r-1", nil])
        #expect(refused.allSatisfy { $0.level == .info })
    }

    @Test func aRefusedPushFrameCountsAsAFailedSync() async throws {
        let service = FakeSyncService()
        try await withLiveServer(makeTransport(service: service)) { client in
            _ = try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                try await socket.send(#"{"type":"push","request_id":"r-1","idempotency_key":"k","mutations":[{"seq":"one"}]}"#)
                #expect(try await socket.receiveError().code == ErrorCode.invalidMessage.rawValue)
                try await socket.send(#"{"type":"pull","request_id":"r-2","limit":"all"}"#)
                #expect(try await socket.receiveError().code == ErrorCode.invalidMessage.rawValue)
            }
        }
        #expect(service.calls.filter { if case .pushRefused = $0 { true } else { false } } == [.pushRefused(.invalidMessage)])
    }

    @Test func malformedFramesLeaveTheConnectionOpen() async throws {
        try await withLiveServer(makeTransport()) { client in
            _ = try await withTestSocket(port: client.port) { socket in
                try await socket.send("this is not json")
                let malformed = try await socket.receiveError()
                #expect(malformed.code == ErrorCode.malformedFrame.rawValue)
                #expect(malformed.requestId == nil)

                try await socket.outbound.write(.binary(ByteBuffer(bytes: [1, 2, 3])))
                #expect(try await socket.receiveError().code == ErrorCode.malformedFrame.rawValue)

                try await socket.send(#"{"type":"pull","request_id":"r-9","limit":"all"}"#)
                let invalid = try await socket.receiveError()
                #expect(invalid.code == ErrorCode.invalidMessage.rawValue)
                #expect(invalid.requestId == "r-9")
                #expect(invalid.details?.first?.path == "limit")

                try await socket.send(.ping(PingMessage(nonce: "still-there")))
                #expect(try await socket.receive() == .pong(PongMessage(nonce: "still-there")))
            }
        }
    }

    @Test func anOversizedMessageIsRefusedAndClosesWith1009() async throws {
        try await withLiveServer(makeTransport(limits: TransportLimits(maxFrameBytes: 1024))) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                try await socket.send(#"{"type":"ping","nonce":""# + String(repeating: "x", count: 2000) + #""}"#)
                let error = try await socket.receiveError()
                #expect(error.code == ErrorCode.frameTooLarge.rawValue)
                #expect(try await socket.receive() == nil)
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test func anOversizedFragmentedMessageIsRefusedToo() async throws {
        try await withLiveServer(makeTransport(limits: TransportLimits(maxFrameBytes: 1024))) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                try await socket.outbound.withTextMessageWriter { write in
                    for _ in 0..<3 { try await write(String(repeating: " ", count: 400)) }
                }
                #expect(try await socket.receiveError().code == ErrorCode.frameTooLarge.rawValue)
                #expect(try await socket.receive() == nil)
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test func aPageTooLargeForOneFrameIsCutWithHasMore() async throws {
        let service = FakeSyncService()
        service.pagesHold(20)
        try await withLiveServer(makeTransport(service: service, limits: TransportLimits(maxFrameBytes: 2048))) { client in
            _ = try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                try await socket.send(.pull(PullMessage(requestId: "r-1")))
                guard case .changes(let page) = try await socket.receive() else {
                    Issue.record("expected a changes page")
                    return
                }
                #expect(page.requestId == "r-1")
                #expect(!page.changes.isEmpty && page.changes.count < 20)
                #expect(page.hasMore)
                #expect(page.cursor == page.changes.last?.cursor)
                #expect(WireCodec.encode(ServerMessage.changes(page)).count <= 2048)
            }
        }
    }

    // MARK: Real time

    @Test func changesReachOtherSessionsButNotTheirAuthor() async throws {
        let service = FakeSyncService()
        try await withLiveServer(makeTransport(service: service)) { client in
            let (listenerReady, ready) = AsyncStream<Void>.makeStream()
            async let listener = withTestSocket(port: client.port, token: TestToken.otherDevice) { socket in
                _ = try await socket.handshake()
                ready.yield()
                guard case .change(let change) = try await socket.receive() else { throw TestSocketError.unexpected }
                #expect(change.change.cursor == "c_s7")
                #expect(change.change.originDevice == "ios-1")
            }
            for await _ in listenerReady { break }
            try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 7)])))
                guard case .pushResult = try await socket.receive() else { throw TestSocketError.unexpected }
                // A later change from elsewhere (a REST push) arrives; the author's own change never came before it.
                service.changeFeed.publish([
                    ChangeNotice(tenant: "tenant-a", change: FakeSyncService.change(cursor: "c_rest"), originSession: nil),
                ])
                guard case .change(let next) = try await socket.receive() else { throw TestSocketError.unexpected }
                #expect(next.change.cursor == "c_rest")
            }
            _ = try await listener
        }
    }

    @Test func aResetOfTheTenantClosesItsSessionsWith1012() async throws {
        try await withLiveServer(makeTransport(testControl: true)) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                let reset = try await client.execute(uri: "/v1/test/reset", method: .post, headers: .bearer(TestToken.device))
                #expect(reset.status == .ok)
                #expect(try await socket.receive() == nil)
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 1012))
        }
    }

    // MARK: Heartbeat

    @Test func anIdleClientIsPingedAndThenTimedOutWith4408() async throws {
        let limits = TransportLimits(heartbeatInterval: .milliseconds(150), heartbeatTimeout: .milliseconds(1_000))
        try await withLiveServer(makeTransport(limits: limits)) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                let welcome = try await socket.handshake()
                #expect(welcome.heartbeatTimeoutMs == 1_000)
                var pings: [String?] = []
                while case .ping(let ping) = try await socket.receive() {
                    pings.append(ping.nonce)
                    if pings.count > 10 { break }
                }
                #expect(pings.count >= 2)
                #expect(pings.first == "hb-1")
                // The loop ended on the error that announced the timeout.
                #expect(try await socket.receive() == nil)
            }
            #expect(close?.closeCode == WebSocketErrorCode(codeNumber: 4408))
        }
    }

    @Test func controlFramePingsCountAsActivity() async throws {
        // Generous timings: on a CI machine busy with the rest of the suite (server processes,
        // the crash test) the client's pings were seen late by more than two seconds. The
        // client's auto-ping closes the connection when a pong is later than its period, so the
        // period must leave the server room to answer under load too.
        let limits = TransportLimits(heartbeatInterval: .milliseconds(500), heartbeatTimeout: .milliseconds(5_000))
        try await withLiveServer(makeTransport(limits: limits)) { client in
            _ = try await withTestSocket(port: client.port, autoPing: .enabled(timePeriod: .seconds(1))) { socket in
                _ = try await socket.handshake()
                // Twelve server pings span more than the timeout; only control frames went the other way.
                for _ in 0..<12 {
                    guard case .ping = try await socket.receive() else { throw TestSocketError.unexpected }
                }
                try await socket.send(.ping(PingMessage(nonce: "alive")))
                var reply = try await socket.receive()
                while case .ping = reply { reply = try await socket.receive() }
                #expect(reply == .pong(PongMessage(nonce: "alive")))
            }
        }
    }

    // MARK: Shutdown

    @Test func shutdownAnswersInFlightRequestsThenClosesWith1001() async throws {
        let service = FakeSyncService()
        service.holdPushes()
        let transport = makeTransport(service: service)
        try await withLiveServer(transport) { client in
            let close = try await withTestSocket(port: client.port) { socket in
                _ = try await socket.handshake()
                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 1)])))
                await service.waitForHeldPush()
                let drain = Task { await transport.drainSessions() }
                try await waitUntil { await transport.registry.isDraining }
                service.releasePushes()
                guard case .pushResult(let result) = try await socket.receive() else { throw TestSocketError.unexpected }
                #expect(result.requestId == "r-1")
                let error = try await socket.receiveError()
                #expect(error.code == ErrorCode.unavailable.rawValue)
                #expect(error.retryable)
                #expect(error.retryAfterMs != nil)
                #expect(try await socket.receive() == nil)
                await drain.value
            }
            #expect(close?.closeCode == .goingAway)

            let refused = parseRawResponse(try await rawHTTPExchange(
                port: client.port,
                upgradeRequest(headers: ["Sec-WebSocket-Protocol: mobilesync.v1", "Authorization: Bearer \(TestToken.device)"])
            ))
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "1")
        }
    }
}
