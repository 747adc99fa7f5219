import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import SyncProtocol
@testable import SyncServer
import Testing

/// `RateLimitGate`: a known device's push or pull over its limit is answered 429 before routing,
/// exactly as the routes would; everything else passes on untouched, and responses stay in order.
@Suite struct RateLimitGateTests {
    static let phone = Principal(tenant: "acme", user: "alice", device: "phone", expiresAt: .max)
    static let operatorToken = Principal(tenant: "acme", user: "ops", device: nil, roles: ["operator"], expiresAt: .max)

    /// A channel holding only the gate; the limiter allows one push and one pull per minute.
    struct Harness {
        let channel = EmbeddedChannel()
        let limiter = RateLimiter(settings: RateLimitSettings(device: [.push: RateRule(perMinute: 1, burst: 1), .pull: RateRule(perMinute: 1, burst: 1)],
                                                              tenant: [:], maxSessionsPerDevice: nil, maxSessionsPerTenant: nil))
        let metrics = SyncMetrics()

        init() throws {
            let settings = RateLimitGate.Settings(
                limiter: limiter,
                knownPrincipal: { token in
                    switch token {
                    case "phone-token": RateLimitGateTests.phone
                    case "ops-token": RateLimitGateTests.operatorToken
                    default: nil
                    }
                },
                metrics: metrics,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try channel.pipeline.syncOperations.addHandler(RateLimitGate(settings))
        }

        /// Sends a whole request; returns whether the gate passed its head on.
        func send(_ method: HTTPMethod = .POST, _ uri: String = "/v1/sync/push", token: String? = "phone-token",
                  extraHeaders: [(String, String)] = [], body: String = "{}") throws -> Bool {
            var headers = HTTPHeaders()
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            for (name, value) in extraHeaders { headers.add(name: name, value: value) }
            try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)))
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: body)))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            var passed: [HTTPServerRequestPart] = []
            while let part = try channel.readInbound(as: HTTPServerRequestPart.self) { passed.append(part) }
            guard !passed.isEmpty else { return false }
            #expect(passed.count == 3, "head, body and end pass on together")
            return true
        }

        /// The routes answer the request passed on last.
        func answer(_ status: HTTPResponseStatus = .ok) throws {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
            _ = try channel.readOutbound(as: HTTPServerResponsePart.self)
            _ = try channel.readOutbound(as: HTTPServerResponsePart.self)
        }

        /// The gate's own answer: its head and its problem body.
        func gateAnswer() throws -> (head: HTTPResponseHead, problem: Problem)? {
            guard case .head(let head)? = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
            guard case .body(.byteBuffer(let body))? = try channel.readOutbound(as: HTTPServerResponsePart.self),
                  case .end? = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
            return (head, try WireCodec.decode(Problem.self, from: Data(body.readableBytesView)))
        }
    }

    @Test func aKnownDeviceOverItsLimitIsRefusedBeforeRoutingAsTheRoutesWould() throws {
        let h = try Harness()
        #expect(try h.send(), "an admitted request passes")
        try h.answer()
        // The bucket is empty now only if the routes took its token; the gate never takes one.
        try h.limiter.admit(Self.phone, .push)
        #expect(!(try h.send()))
        let answer = try #require(try h.gateAnswer())
        let expected = ProblemResponse(try #require(h.limiter.refusal(for: Self.phone, .push)))
        #expect(answer.head.status.code == 429)
        #expect(answer.problem.code == ErrorCode.rateLimited.rawValue)
        #expect(answer.problem.detail == expected.problemDetail)
        let retryAfterMs = try #require(answer.problem.retryAfterMs)
        #expect((59_000...60_000).contains(retryAfterMs))
        #expect(answer.head.headers["Retry-After"] == [String((retryAfterMs + 999) / 1000)])
        #expect(answer.head.headers["Content-Type"] == ["application/problem+json"])
        #expect(answer.head.headers["Content-Length"].first.flatMap(Int.init) != nil)
        #expect(answer.head.headers["Connection"].isEmpty, "the connection stays open")
        // The pull bucket is another one: a pull still passes.
        #expect(try h.send(.GET, "/v1/sync/pull?limit=10", body: ""))
    }

    /// Records the user events that pass the gate.
    final class EventRecorder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var events: [String] = []
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            events.append("\(event)")
        }
    }

    @Test func aRefusedFirstRequestIsAnsweredWithConnectionCloseAndTheConnectionEnds() throws {
        let h = try Harness()
        let recorder = EventRecorder()
        try h.channel.pipeline.syncOperations.addHandler(recorder)
        try h.limiter.admit(Self.phone, .push)
        #expect(!(try h.send()))
        let answer = try #require(try h.gateAnswer())
        #expect(answer.head.status.code == 429)
        #expect(answer.head.headers["Connection"] == ["close"])
        #expect(recorder.events == ["\(ChannelEvent.inputClosed)"], "the upgrade handler behind the gate stops waiting")
        #expect(!h.channel.isActive)
    }

    @Test func whatTheGateCannotJudgeAlwaysPassesOn() throws {
        let h = try Harness()
        #expect(try h.send())
        try h.answer()
        try h.limiter.admit(Self.phone, .push)
        #expect(try h.send(token: "unknown-token"), "a token not verified before: the routes verify it")
        try h.answer()
        #expect(try h.send(token: nil), "no token: the routes answer unauthorized")
        try h.answer()
        #expect(try h.send(token: "ops-token"), "no device: the routes answer forbidden")
        try h.answer()
        #expect(try h.send(extraHeaders: [("Authorization", "Bearer phone-token")]), "two Authorization headers")
        try h.answer()
        #expect(try h.send(.GET, "/v1/policies"), "a class the gate does not judge")
        try h.answer()
        #expect(try h.send(.GET, "/v1/sync/push"), "another method on the path")
        try h.answer()
    }

    @Test func aRequestWaitingBehindAnUnansweredOneIsNeverAnsweredFirst() throws {
        let h = try Harness()
        #expect(try h.send())
        try h.answer()
        try h.limiter.admit(Self.phone, .push)
        #expect(try h.send(token: "unknown-token"))
        // Pipelined behind it: the gate cannot answer ahead of the routes.
        #expect(try h.send())
        try h.answer()
        try h.answer()
        // Both answered: the next one is the gate's again.
        #expect(!(try h.send()))
        #expect(try h.gateAnswer()?.head.status.code == 429)
    }

    /// Counts the reads that reach the head of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func aConnectionThatKeepsSendingRefusedRequestsIsReadMoreSlowly() throws {
        let h = try Harness()
        let counter = ReadCounter()
        try h.channel.pipeline.syncOperations.addHandler(counter, position: .first)
        #expect(try h.send())
        try h.answer()
        try h.limiter.admit(Self.phone, .push)
        #expect(!(try h.send()))
        _ = try h.gateAnswer()
        h.channel.read()
        #expect(counter.reads == 1, "one refusal: no hold (a client honouring Retry-After never meets one)")
        #expect(!(try h.send()))
        let delay = try #require(try h.gateAnswer()?.problem.retryAfterMs)
        h.channel.read()
        #expect(counter.reads == 1, "two in a row: the next read waits")
        h.channel.read()
        #expect(counter.reads == 1, "one held read, however often asked")
        h.channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(counter.reads == 1)
        h.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(counter.reads == 2, "held for min(1 s, max(delay \(delay) ms, 50 ms)), then read")
        h.channel.read()
        #expect(counter.reads == 3, "the hold is over")
        // A request the gate passes on ends the run of refusals.
        #expect(try h.send(.GET, "/v1/sync/pull", body: ""))
        try h.answer()
        #expect(!(try h.send()))
        _ = try h.gateAnswer()
        h.channel.read()
        #expect(counter.reads == 4)
    }

    @Test func anUpgradeRequestPassesAndTheGateLeaves() throws {
        let h = try Harness()
        try h.limiter.admit(Self.phone, .push)
        #expect(try h.send(.GET, "/v1/sync", extraHeaders: [("Upgrade", "websocket"), ("Connection", "Upgrade")], body: ""))
        #expect(throws: (any Error).self) { try h.channel.pipeline.syncOperations.handler(type: RateLimitGate.self) }
        // Whatever comes next (WebSocket frames after an upgrade) reaches the pipeline untouched.
        try h.channel.writeInbound(ByteBuffer(string: "frame bytes"))
        #expect(try h.channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "frame bytes"))
    }
}

/// `RateLimitRefusal` writes what `ProblemMiddleware` writes for the same refusal.
@Suite struct RateLimitRefusalTests {
    @Test(arguments: [Int64(0), 1, 999, 1000, 1001, 59_999, 60_000, 987_654_321_987, Int64.max / 1000])
    func sameBytesAsTheRoutes(delay: Int64) throws {
        for rateClass in [RateClass.push, .pull] {
            let error = RateLimiter.refusal(rateClass, retryAfterMilliseconds: delay)
            let expected = ProblemResponse(error)
            let refusal = try #require(RateLimitRefusal(rateClass))
            let wireDelay = try #require(error.retryDelayMilliseconds)
            let (head, body) = refusal.response(retryAfterMilliseconds: wireDelay, allocator: ByteBufferAllocator())
            #expect(Array(body.readableBytesView) == Array(expected.body))
            #expect(head.status.code == 429)
            for field in expected.headers {
                #expect(head.headers[field.name.rawName] == [field.value], "\(field.name)")
            }
            #expect(head.headers["Content-Length"] == [String(expected.body.count)])
        }
    }
}

extension ProblemResponse {
    /// The `detail` of the body, for comparing with the gate's.
    var problemDetail: String? {
        (try? WireCodec.decode(Problem.self, from: body))?.detail
    }
}
