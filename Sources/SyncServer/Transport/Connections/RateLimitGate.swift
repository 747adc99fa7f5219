import Logging
import NIOCore
import NIOHTTP1
import SyncProtocol

/// Refuses a flooding device's REST pushes and pulls with `rate_limited` right after the HTTP
/// decoder, on the event loop, without starting the request's task, routing it or running the
/// middlewares: such a refusal costs a fraction of one answered by the routes, so one device's
/// flood leaves the server's time to the other devices (LIM-4, LIM-6).
///
/// It answers only what the routes would answer the same way: a push, pull or acknowledgement
/// whose bearer token the server verified before and is still valid (`knownPrincipal`), naming a
/// device, while that device's or tenant's bucket is empty. It only looks at the buckets, never
/// takes a token: whatever it lets through is admitted or refused by the routes as before. The
/// answer is `RateLimiter`'s refusal as `ProblemMiddleware` writes it, on a connection kept open;
/// the request's body is read and dropped.
///
/// A connection whose requests keep being refused is read more slowly: from its second refusal
/// in a row, the gate holds the connection's next read for the refusal's delay (at least 50 ms
/// per refusal in a row, at most a second). A client that honours `Retry-After` never meets the
/// hold; a flooding one gets at most a request a second per connection, so its flood cannot take
/// the server's time from the other devices.
///
/// Responses must leave in request order: it answers only when nothing it passed on is still
/// unanswered. A connection's first request decides whether it upgrades to a WebSocket (the
/// upgrade handler behind the gate waits for it), so when the gate refuses a first request it
/// answers with `Connection: close` and ends the connection as a client closing it would; a
/// device flooding with a new connection per request thus costs little too. The gate leaves the
/// pipeline when a request asks to upgrade.
final class RateLimitGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the gate consults; one for all connections.
    struct Settings: Sendable {
        let limiter: RateLimiter
        let knownPrincipal: @Sendable (String) -> Principal?
        let metrics: SyncMetrics
        let logger: Logger
    }

    private let settings: Settings
    /// The 429 of each class the gate answers.
    private static let refusals: [RateClass: RateLimitRefusal] = Set(gated.map(\.rateClass)).reduce(into: [:]) { refusals, rateClass in
        refusals[rateClass] = RateLimitRefusal(rateClass)
    }
    /// Requests passed on, ever.
    private var passed = 0
    /// Requests passed on whose response has not ended.
    private var unanswered = 0
    /// Whether the rest of a request answered here is being dropped.
    private var dropping = false
    /// Requests of this connection the gate refused in a row.
    private var refusedInARow = 0
    /// Reads of the connection wait until then.
    private var holdUntil: NIODeadline?
    /// The read the hold keeps back, released when it ends.
    private var heldRead: Scheduled<Void>?

    /// The longest hold of a connection's reads.
    static let longestHold = TimeAmount.seconds(1)
    /// The hold per refusal in a row, when the refusal's delay is shorter.
    static let holdPerRefusal = TimeAmount.milliseconds(50)

    init(_ settings: Settings) {
        self.settings = settings
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let started = ContinuousClock.now
            if unanswered == 0, !head.headers.contains(name: "upgrade"), let (refusal, principal, endpoint) = refusal(for: head),
               let delay = refusal.retryDelayMilliseconds, let answer = Self.refusals[endpoint.rateClass] {
                dropping = true
                let closing = passed == 0
                let (responseHead, body) = answer.response(retryAfterMilliseconds: delay, closing: closing, allocator: context.channel.allocator)
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                if closing {
                    // The upgrade handler behind the gate, still waiting for a first request,
                    // closes the connection on this event and ends its wait quietly.
                    let written = context.eventLoop.makePromise(of: Void.self)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
                    written.futureResult.assumeIsolated().whenComplete { _ in
                        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                        context.close(promise: nil)
                    }
                } else {
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                record(refusal, principal, endpoint.descriptor, since: started)
                refusedInARow += 1
                if refusedInARow > 1 {
                    let hold = min(Self.longestHold, max(.milliseconds(delay), Self.holdPerRefusal * (refusedInARow - 1)))
                    holdUntil = context.eventLoop.now + hold
                }
                return
            }
            refusedInARow = 0
            passed += 1
            unanswered += 1
            context.fireChannelRead(data)
            if head.headers.contains(name: "upgrade") {
                releaseHeldRead(context: context)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        case .body, .end:
            guard dropping else {
                context.fireChannelRead(data)
                return
            }
            if case .end = unwrapInboundIn(data) { dropping = false }
        }
    }

    func read(context: ChannelHandlerContext) {
        guard let until = holdUntil, until > context.eventLoop.now else {
            holdUntil = nil
            context.read()
            return
        }
        guard heldRead == nil else { return }
        heldRead = context.eventLoop.assumeIsolated().scheduleTask(deadline: until) { [self] in
            heldRead = nil
            holdUntil = nil
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        heldRead?.cancel()
        heldRead = nil
        context.fireChannelInactive()
    }

    /// Ends the hold at once, reading if a read was held back.
    private func releaseHeldRead(context: ChannelHandlerContext) {
        holdUntil = nil
        guard let held = heldRead else { return }
        held.cancel()
        heldRead = nil
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
        context.write(data, promise: promise)
    }

    /// The refusal the routes would give this request now, when the gate can tell.
    private func refusal(for head: HTTPRequestHead) -> (ServiceError, Principal, (descriptor: EndpointDescriptor, rateClass: RateClass))? {
        guard let endpoint = Self.endpoint(method: head.method.rawValue, uri: head.uri),
              let token = Self.bearerToken(head.headers),
              let principal = settings.knownPrincipal(token), principal.device != nil,
              let refusal = settings.limiter.refusal(for: principal, endpoint.rateClass)
        else { return nil }
        return (refusal, principal, endpoint)
    }

    /// The metrics and the access-log line the routes would have written for this refusal.
    private func record(_ refusal: ServiceError, _ principal: Principal, _ endpoint: EndpointDescriptor, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        settings.metrics.recordRequest(route: endpoint.path, method: endpoint.method, status: 429, duration: elapsed)
        var metadata: Logger.Metadata = [
            "method": "\(endpoint.method)", "path": "\(endpoint.path)", "status": "429",
            "duration_ms": "\(AccessLogMiddleware.milliseconds(elapsed))", "code": "\(refusal.code.rawValue)",
            "tenant": "\(principal.tenant)", "user": "\(principal.user)",
        ]
        if let device = principal.device { metadata["device"] = "\(device)" }
        settings.logger.info("request refused", metadata: metadata)
    }

    /// The rate-limited sync endpoints the gate answers, by method and path (query ignored).
    private static func endpoint(method: String, uri: String) -> (descriptor: EndpointDescriptor, rateClass: RateClass)? {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        return gated.first { $0.descriptor.method == method && $0.descriptor.path == path }
    }

    private static let gated: [(descriptor: EndpointDescriptor, rateClass: RateClass)] = [
        (Endpoints.pushBatch, .push), (Endpoints.pullChanges, .pull), (Endpoints.ackCursor, .pull), (Endpoints.getCursor, .pull),
    ]

    /// The token of the only `Authorization: Bearer <token>` header; `nil` for anything else,
    /// which the routes then refuse with their own answer.
    private static func bearerToken(_ headers: HTTPHeaders) -> String? {
        let values = headers["authorization"]
        guard values.count == 1 else { return nil }
        let parts = values[0].split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Spaces and tabs only (cheaper than Foundation's trimming): a token ending in another
        // kind of white space is not found among the verified ones and goes to the routes.
        var token = parts[1]
        while let last = token.last, last == " " || last == "\t" { token = token.dropLast() }
        while let first = token.first, first == " " || first == "\t" { token = token.dropFirst() }
        return token.isEmpty ? nil : String(token)
    }
}
