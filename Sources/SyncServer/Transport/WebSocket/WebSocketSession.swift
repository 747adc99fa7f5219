import Foundation
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import SyncProtocol

/// Drives one WebSocket connection: reads and reassembles messages, feeds the
/// `SessionStateMachine`, runs requests against the service one at a time, delivers the tenant's
/// committed changes, keeps the heartbeat, and writes everything through one bounded outbox so
/// that writes to the socket never interleave and a client that stops reading is closed instead
/// of buffered without limit (WS-14). An actor because it owns the state machine, which the
/// reader, the request worker, the heartbeat and shutdown all touch; the change feed queues
/// changes in the outbox directly (`ChangeSink`), without waking it.
actor WebSocketSession: ChangeSink {
    nonisolated let id: String
    nonisolated let activity: ConnectionActivity
    private let principal: Principal
    private let service: any SyncService
    /// Counts the session's messages in and out.
    private let metrics: SyncMetrics
    private let limits: TransportLimits
    /// Admits each request message under its class's rate limits (LIM-4, LIM-6).
    private let limiter: RateLimiter
    private let logger: Logger
    /// Whether test control can move the tenant's clock, and so the token's expiry (TEST-5).
    private let tenantClockMoves: Bool
    private var machine: SessionStateMachine
    private var drainStarted = false

    /// What waits to be written.
    private nonisolated let outbox: SessionOutbox
    /// Requests to run, each with the instant its message was received (push latency, HEALTH-1).
    private let requests = AsyncStream<(SessionStateMachine.Request, ContinuousClock.Instant)>.makeStream()
    /// Ends the connection: the close timer's last resort.
    private let closeConnection: @Sendable () -> Void
    /// Started once the server decided to close, not when the close frame is written, so that a
    /// client that reads nothing cannot hold the connection (WS-14): when the peer has not
    /// answered the close within the close timeout, the connection is ended.
    private var closeTimer: Task<Void, Never>?
    /// The connection is over: a close decided now (a reset racing the end) starts no timer.
    private var ended = false
    /// Finishes once the writer stopped: after the close frame, or when the connection broke.
    private let writerStopped = AsyncStream<Void>.makeStream()
    private let requestsFinished = AsyncStream<Void>.makeStream()

    init(id: String, principal: Principal, service: any SyncService, limits: TransportLimits, limiter: RateLimiter,
         metrics: SyncMetrics, tenantClockMoves: Bool = false, closeConnection: @escaping @Sendable () -> Void, logger: Logger) {
        self.id = id
        self.closeConnection = closeConnection
        self.tenantClockMoves = tenantClockMoves
        self.limiter = limiter
        self.metrics = metrics
        self.principal = principal
        self.service = service
        self.limits = limits
        var logger = logger
        logger[metadataKey: "session"] = "\(id)"
        logger[metadataKey: "tenant"] = "\(principal.tenant)"
        logger[metadataKey: "user"] = "\(principal.user)"
        if let device = principal.device { logger[metadataKey: "device"] = "\(device)" }
        self.logger = logger
        activity = ConnectionActivity()
        outbox = SessionOutbox(maxBytes: limits.sessionQueueBytes, maxMessages: limits.sessionQueueMessages)
        machine = SessionStateMachine(
            sessionId: id,
            settings: .init(heartbeatInterval: limits.heartbeatInterval, heartbeatTimeout: limits.heartbeatTimeout, maxFrameBytes: limits.maxFrameBytes)
        )
    }

    /// Serves the connection until the peer closes it, or until the peer fails to answer the
    /// server's close frame within the close timeout.
    func run(inbound: WebSocketInboundStream, writer: WebSocketOutboundWriter) async {
        // Subscribed from the start, so that a reset of the tenant closes sessions that have not
        // sent `hello` yet (TEST-3); the outbox drops changes until `welcome` (WS-5).
        let subscription = service.changeFeed.subscribe(tenant: principal.tenant, session: id, sink: self)
        let openedAt = ContinuousClock.now
        logger.info("session opened")
        // The session's task reads; three helpers write, run requests and keep the timer. The
        // session is over when reading ends: the peer closed, or the connection broke or was
        // ended by the close timer.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeLoop(writer) }
            group.addTask { await self.requestLoop() }
            group.addTask { await self.timerLoop() }
            await readLoop(inbound)
            outbox.finish()
            group.cancelAll()
        }
        service.changeFeed.unsubscribe(subscription)
        requests.continuation.finish()
        ended = true
        closeTimer?.cancel()
        requestsFinished.continuation.finish()
        writerStopped.continuation.finish()
        var metadata: Logger.Metadata = ["duration_ms": "\(AccessLogMiddleware.milliseconds(.now - openedAt))"]
        if case .closed(let code) = machine.state { metadata["close_code"] = "\(code)" }
        logger.info("session ended", metadata: metadata)
    }

    /// The close code the server sent, once it closed; `nil` while open or when the peer
    /// closed first or the connection was lost.
    var sentCloseCode: UInt16? {
        if case .closed(let code) = machine.state { code } else { nil }
    }

    /// Shutdown (WS-12): stops taking requests, lets those received finish, then sends
    /// `unavailable` and closes with 1001. Returns once the close frame is written, so that the
    /// HTTP server stopping afterwards cannot close the session first; each wait is bounded by the
    /// shutdown timeout.
    func drain() async {
        guard !drainStarted else { return }
        drainStarted = true
        let deadline = ContinuousClock.now + limits.shutdownTimeout
        carryOut(machine.beginDraining())
        if machine.state == .draining {
            requests.continuation.finish()
            await Self.waitForEnd(of: requestsFinished.stream, until: deadline)
            carryOut(machine.drained())
        }
        await Self.waitForEnd(of: writerStopped.stream, until: deadline)
    }

    /// Waits until `stream` finishes or `deadline` passes.
    private static func waitForEnd(of stream: AsyncStream<Void>, until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream {} }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: Tasks

    private nonisolated func readLoop(_ inbound: WebSocketInboundStream) async {
        var assembler = MessageAssembler(maxBytes: limits.maxFrameBytes)
        do {
            for try await frame in inbound {
                activity.markReceived()
                let opcode: MessageAssembler.Opcode = switch frame.opcode {
                case .text: .text
                case .binary: .binary
                case .continuation: .continuation
                }
                let result = assembler.append(opcode, fin: frame.fin, payload: Data(frame.data.readableBytesView))
                if case .message(let message) = result, let hello = await receive(message) {
                    await welcome(hello)
                }
            }
        } catch {
            logger.debug("reading failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }

    /// Feeds a message to the state machine and carries out what it decides; returns the `hello`
    /// to welcome, if that is what it was. Synchronous, like everything the session does between
    /// two waits: what an async function holds across a wait stays in its task's memory, and a
    /// session's tasks live as long as the connection.
    private func receive(_ message: SessionStateMachine.Inbound) -> HelloMessage? {
        let receivedAt = ContinuousClock.now
        let action = machine.receive(message)
        metrics.recordMessage(inbound: true, type: machine.lastInboundType)
        // A `push` frame refused here never reaches the engine, yet counts as a failed sync (HEALTH-1).
        if case .text(let frame) = message, let code = action.refusalCode, RequestIdProbe.messageType(in: frame) == PushMessage.messageType {
            service.pushRefused(principal, code: code, receivedAt: receivedAt)
        }
        return carryOut(action)
    }

    /// Asks the service for the `welcome` answering `hello`, in a task of its own: the service's
    /// deep call stack is freed when that task ends instead of staying with the reading task for
    /// the life of the connection. The reader waits for it, so that nothing after `hello` is
    /// read before the session is established (WS-5).
    private func welcome(_ hello: HelloMessage) async {
        let (service, principal, id) = (service, principal, id)
        let answer = await Task { () async -> Result<WelcomeMessage, ServiceError> in
            do throws(ServiceError) {
                return .success(try await service.welcome(principal, hello: hello, sessionId: id))
            } catch {
                return .failure(error)
            }
        }.value
        switch answer {
        case .success(let welcome): carryOut(machine.welcomed(welcome))
        case .failure(let error): carryOut(machine.welcomeFailed(error))
        }
    }

    private func requestLoop() async {
        for await (request, receivedAt) in requests.stream {
            if case .closed = machine.state { continue }
            await serve(request, receivedAt: receivedAt)
        }
        requestsFinished.continuation.finish()
    }

    /// Runs one request against the service and carries out the state machine's answer.
    @inline(never)
    private func serve(_ request: SessionStateMachine.Request, receivedAt: ContinuousClock.Instant) async {
        let action: SessionStateMachine.Action
        switch request {
        case .push(let push):
            do {
                let result = try await RequestReceipt.bound(to: receivedAt) { () async throws(ServiceError) -> PushResult in
                    try await service.push(principal, idempotencyKey: push.idempotencyKey, mutations: push.mutations, sessionId: id)
                }
                action = machine.pushed(push, result: result)
            } catch {
                action = machine.failed(request, error: error)
            }
        case .pull(let pull):
            do {
                let page = try await service.pull(principal, cursor: pull.cursor, limit: pull.limit, collections: pull.collections)
                action = machine.pulled(pull, page: page)
            } catch {
                action = machine.failed(request, error: error)
            }
        case .ack(let ack):
            do {
                let result = try await service.acknowledge(principal, cursor: ack.cursor)
                action = machine.acknowledged(ack, result: result)
            } catch {
                action = machine.failed(request, error: error)
            }
        }
        carryOut(action)
    }

    /// Queues a committed change of the tenant (`ChangeSink`), on the publishing task.
    nonisolated func receive(_ notice: ChangeNotice) {
        var text = notice.encodedMessage
        // A record is bounded far below the frame limit; should a change still not fit, it is
        // fitted or answered like any message (LIM-1).
        if text.utf8.count > limits.maxFrameBytes { text = encode(.change(ChangeMessage(change: notice.change))) }
        if outbox.enqueueChange(text, type: ChangeMessage.messageType) == .overflow {
            Task { await self.slowConsumer() }
        }
    }

    /// The tenant's feed ended (`ChangeSink`): test control reset the tenant; close (TEST-3).
    nonisolated func feedFinished() {
        Task { await self.changeFeedFinished() }
    }

    private func changeFeedFinished() {
        logger.debug("change feed finished; closing")
        carryOut(machine.changeFeedFinished())
    }

    /// The heartbeat (HB-2, HB-3) and the token's expiry by the tenant's clock (AUTH-7) on one
    /// timer, which sleeps until the earlier of the two. Where test control can move the tenant's
    /// clock (TEST-5), the expiry is looked at again at least once a second.
    private func timerLoop() async {
        while let wake = timerTick() {
            do {
                try await Task.sleep(until: wake, clock: .continuous)
            } catch {
                return
            }
        }
    }

    /// Sends a `ping` or closes when it is time; returns when to look again, `nil` once the
    /// timer stops.
    private func timerTick() -> ContinuousClock.Instant? {
        var wake: ContinuousClock.Instant
        while true {
            switch machine.heartbeat(now: .now, lastReceived: activity.lastReceived, lastSent: activity.lastSent) {
            case .stop:
                return nil
            case .sendPing(let ping):
                enqueue(ping)
                continue
            case .close(let error, let code):
                logger.debug("heartbeat timeout; closing")
                carryOut(.close(error, code: code))
                return nil
            case .wait(let deadline):
                wake = deadline
            }
            break
        }
        if let expiresAt = principal.expiresAt {
            let remaining = expiresAt - service.now(tenant: principal.tenant)
            if remaining <= 0 {
                logger.debug("token expired; closing")
                carryOut(machine.tokenExpired())
                return nil
            }
            wake = min(wake, .now + .milliseconds(tenantClockMoves ? min(remaining, 1000) : remaining))
        }
        return wake
    }

    private nonisolated func writeLoop(_ writer: WebSocketOutboundWriter) async {
        defer { writerStopped.continuation.finish() }
        do {
            while true {
                // A burst at a time: one wake of the writer for many frames of a fan-out.
                let frames = await outbox.next(upTo: 64)
                if frames.isEmpty { return }
                for frame in frames {
                    switch frame {
                    case .text(let text, let type):
                        try await writer.write(.text(text))
                        activity.markSent()
                        metrics.recordMessage(inbound: false, type: type)
                    case .close(let code):
                        try await writer.close(WebSocketErrorCode(codeNumber: Int(code)), reason: nil)
                        return
                    }
                }
            }
        } catch {
            logger.debug("writing failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }

    /// Queues a message for the writer: `ping` and `pong` ahead of waiting data (HB-1, HB-2).
    /// When the client does not read and the queue passes its bounds, the session is closed as
    /// a slow consumer (WS-14).
    private func enqueue(_ message: ServerMessage) {
        let type = Swift.type(of: message.message).messageType
        let urgent = type == PingMessage.messageType || type == PongMessage.messageType
        // A closing session sends nothing more: do not encode what would be dropped.
        guard !outbox.isClosing else { return }
        if outbox.enqueue(encode(message), type: type, urgent: urgent) == .overflow { slowConsumer() }
    }

    /// The client does not read and what waits passed the outbox's bounds: close (WS-14).
    private func slowConsumer() {
        let waiting = outbox.waiting
        logger.warning("slow consumer: the client does not read; closing", metadata: [
            "queued_bytes": "\(waiting.bytes)", "queued_messages": "\(waiting.frames)",
        ])
        close(machine.slowConsumer())
    }

    /// Queues the close the state machine decided on, with its `error`; only a shutdown keeps
    /// what already waits ahead of it (WS-12), any other close discards it (WS-14).
    private func close(_ action: SessionStateMachine.Action) {
        guard case .close(let message, let code) = action else { return }
        let error = message.map { (text: encode($0), type: Swift.type(of: $0.message).messageType) }
        outbox.close(error: error, code: code, afterWaiting: code == CloseCode.goingAway)
        requests.continuation.finish()
        if closeTimer == nil, !ended {
            closeTimer = Task { [closeConnection, timeout = limits.closeTimeout] in
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return
                }
                closeConnection()
            }
        }
    }

    /// The message as one text frame within `max_frame_bytes` (LIM-1): shortened where the spec
    /// allows it (`FrameFitting`), otherwise `answer_too_large` goes in its place (ERR-9): never a
    /// retryable code, since the same request would get the same answer.
    private nonisolated func encode(_ message: ServerMessage) -> String {
        if let data = FrameFitting.encode(message, maxBytes: limits.maxFrameBytes) {
            return String(decoding: data, as: UTF8.self)
        }
        logger.error("an outgoing message exceeds the frame limit", metadata: ["type": "\(type(of: message.message).messageType)"])
        let error = ServiceError(.answerTooLarge, "the answer does not fit in one frame; read the state over REST").errorMessage(requestId: message.requestId)
        return String(decoding: WireCodec.encode(ServerMessage.error(error)), as: UTF8.self)
    }

    // MARK: Actions

    /// Carries out `action` up to where it needs the service: returns the `hello` to welcome when
    /// that is what it asks for.
    @discardableResult
    private func carryOut(_ action: SessionStateMachine.Action) -> HelloMessage? {
        var action = action
        while true {
            if case .send(.error(let error)) = action { logRefusal(error) }
            if case .close(.error(let error)?, _) = action { logRefusal(error) }
            switch action {
            case .none:
                return nil
            case .send(let message):
                enqueue(message)
                return nil
            case .close:
                close(action)
                return nil
            case .dispatch(let request):
                do {
                    // Refused before it is queued: a flood costs a token check per message, and
                    // the connection stays open (LIM-6).
                    try limiter.admit(principal, request.rateClass)
                    requests.continuation.yield((request, .now))
                    return nil
                } catch {
                    action = machine.failed(request, error: error)
                }
            case .callWelcome(let hello):
                return hello
            case .establish(let welcome):
                if outbox.establish(encode(.welcome(welcome)), type: WelcomeMessage.messageType) == .overflow { slowConsumer() }
                logger.info("session established", metadata: ["protocol": "\(welcome.protocolVersion)"])
                return nil
            }
        }
    }

    /// Every `error` the session sends, with its code and the request it answers.
    private func logRefusal(_ error: ErrorMessage) {
        var metadata: Logger.Metadata = ["code": "\(error.code)"]
        if let requestId = error.requestId { metadata["request_id"] = "\(requestId)" }
        logger.info("message refused", metadata: metadata)
    }
}

extension SessionStateMachine.Request {
    /// The rate-limit class the request counts in (LIM-4).
    var rateClass: RateClass {
        switch self {
        case .push: .push
        case .pull, .ack: .pull
        }
    }
}

extension ServerMessage {
    /// The `request_id` the message echoes, if any.
    var requestId: String? {
        switch self {
        case .pushResult(let message): message.requestId
        case .changes(let message): message.requestId
        case .acked(let message): message.requestId
        case .error(let message): message.requestId
        case .welcome, .change, .ping, .pong: nil
        }
    }
}
