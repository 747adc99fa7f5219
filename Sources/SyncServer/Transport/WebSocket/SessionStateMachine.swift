package import Foundation
package import SyncProtocol

/// The protocol logic of one WebSocket connection, without sockets: what each inbound message,
/// service answer, heartbeat tick or shutdown leads to. The driver
/// (`WebSocketSession`) feeds it events and carries out the `Action` it returns.
///
/// States: awaiting `hello` -> welcoming (the service negotiates) -> established -> draining
/// (shutdown: requests already received finish) -> closed (the close frame is decided).
package struct SessionStateMachine: Sendable {
    /// Where the session is.
    package enum State: Sendable, Hashable {
        /// Connected; only `hello`, `ping` and `pong` are processed (WS-5).
        case awaitingHello
        /// `hello` is with the service; `welcome` is not sent yet.
        case welcoming
        /// `welcome` was sent: requests are processed and changes delivered.
        case established
        /// The server is shutting down: requests already received finish, new ones are not taken.
        case draining
        /// The server decided to close the connection with this code; everything is ignored.
        case closed(code: UInt16)
    }

    /// One complete inbound WebSocket message.
    package enum Inbound: Sendable, Hashable {
        /// A text message's UTF-8 bytes.
        case text(Data)
        /// A binary message: not part of the protocol (WS-3).
        case binary
        /// A message larger than `max_frame_bytes` (LIM-1); its bytes were not kept.
        case tooLarge
        /// A text message whose bytes are not UTF-8 (RFC 6455 §8.1, WS-3).
        case invalidUTF8
        /// Fragments that break RFC 6455 §5.4: a continuation frame with nothing to continue,
        /// or a new message before a fragmented one ended.
        case brokenFraming
    }

    /// A request the driver hands to the service, one at a time and in order (WS-10).
    package enum Request: Sendable, Hashable {
        case push(PushMessage)
        case pull(PullMessage)
        case ack(AckMessage)

        /// The id the reply echoes.
        package var requestId: String? {
            switch self {
            case .push(let message): message.requestId
            case .pull(let message): message.requestId
            case .ack(let message): message.requestId
            }
        }
    }

    /// What the driver does next.
    package indirect enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Send this message.
        case send(ServerMessage)
        /// Send the message (when there is one), then close the connection with the code.
        case close(ServerMessage?, code: UInt16)
        /// Ask the service for the `welcome` answering this `hello`.
        case callWelcome(HelloMessage)
        /// Queue the request for the service.
        case dispatch(Request)
        /// Send this `welcome`: the session is established and receives changes from now on.
        case establish(WelcomeMessage)

        /// The error code when the action refuses what was received with an `error` message.
        package var refusalCode: ErrorCode? {
            switch self {
            case .send(.error(let error)), .close(.error(let error)?, _): ErrorCode(rawValue: error.code)
            default: nil
            }
        }
    }

    /// What the heartbeat timer does next (HB-2, HB-3).
    package indirect enum HeartbeatAction: Sendable, Hashable {
        /// Check again at this instant.
        case wait(until: ContinuousClock.Instant)
        /// Send this `ping`: nothing was sent for the heartbeat interval.
        case sendPing(ServerMessage)
        /// Nothing was received for the heartbeat timeout: send the error and close.
        case close(ServerMessage, code: UInt16)
        /// The connection is closing; the timer stops.
        case stop
    }

    /// The session parameters the transport enforces and announces in `welcome`.
    package struct Settings: Sendable, Hashable {
        package var heartbeatInterval: Duration
        package var heartbeatTimeout: Duration
        package var maxFrameBytes: Int

        package init(heartbeatInterval: Duration, heartbeatTimeout: Duration, maxFrameBytes: Int) {
            self.heartbeatInterval = heartbeatInterval
            self.heartbeatTimeout = heartbeatTimeout
            self.maxFrameBytes = maxFrameBytes
        }
    }

    /// The server-generated id announced in `welcome` and carried by the session's pushes.
    package let sessionId: String
    package let settings: Settings
    package internal(set) var state: State = .awaitingHello
    /// When the last heartbeat `ping` was decided, so that a tick before it is written does not send another.
    var lastPing: ContinuousClock.Instant?
    var pingsSent = 0
    /// The `type` of the last message `receive` read; `nil` when it was not a message of the spec.
    package private(set) var lastInboundType: String?

    package init(sessionId: String, settings: Settings) {
        self.sessionId = sessionId
        self.settings = settings
    }

    // MARK: Inbound messages

    /// A complete message arrived from the client.
    package mutating func receive(_ inbound: Inbound) -> Action {
        lastInboundType = nil
        if case .closed = state { return .none }
        switch inbound {
        case .binary:
            return refuse(ServiceError(.malformedFrame, "binary messages are not part of the protocol; send JSON text"), requestId: nil)
        case .tooLarge:
            return refuse(ServiceError(.frameTooLarge, "the message is larger than \(settings.maxFrameBytes) bytes"), requestId: nil)
        case .invalidUTF8:
            // RFC 6455 §8.1 fails the connection without an `error` message: the peer sent
            // bytes that are not a text message at all.
            state = .closed(code: CloseCode.invalidPayload)
            return .close(nil, code: CloseCode.invalidPayload)
        case .brokenFraming:
            // The registry's 1002: the WebSocket layer fails the connection, no `error` message.
            state = .closed(code: CloseCode.protocolError)
            return .close(nil, code: CloseCode.protocolError)
        case .text(let frame):
            let message: ClientMessage
            do {
                message = try ClientMessage.decode(frame)
                lastInboundType = type(of: message.message).messageType
            } catch {
                let refusal = ServiceError.decoding(error)
                // WS-10: every refusal echoes the request id whenever the frame yields one, even
                // a `malformed_frame` (a JSON object with a `request_id` but no `type`).
                let requestId = RequestIdProbe.requestId(in: frame)
                return refuse(refusal, requestId: requestId)
            }
            return receive(message)
        }
    }

    private mutating func receive(_ message: ClientMessage) -> Action {
        switch message {
        case .ping(let ping):
            return .send(.pong(PongMessage(nonce: ping.nonce)))
        case .pong:
            return .none
        case .hello(let hello):
            return receive(hello)
        case .push(let push):
            return receive(Request.push(push))
        case .pull(let pull):
            return receive(Request.pull(pull))
        case .ack(let ack):
            return receive(Request.ack(ack))
        }
    }

    private mutating func receive(_ hello: HelloMessage) -> Action {
        switch state {
        case .awaitingHello:
            guard Self.majorVersion(of: hello.protocolVersion) == ProtocolInfo.majorVersion else {
                return refuse(
                    ServiceError(.unsupportedProtocolVersion, "this server implements protocol version \(ProtocolInfo.majorVersion).x only"),
                    requestId: nil
                )
            }
            state = .welcoming
            return .callWelcome(hello)
        case .welcoming, .established:
            return refuse(ServiceError(.duplicateHello, "the session is already established; hello is ignored"), requestId: nil)
        case .draining, .closed:
            return .none
        }
    }

    private mutating func receive(_ request: Request) -> Action {
        switch state {
        case .awaitingHello, .welcoming:
            return refuse(ServiceError(.helloRequired, "send hello and wait for welcome first"), requestId: request.requestId)
        case .established:
            return .dispatch(request)
        case .draining, .closed:
            // Not processed: the coming `unavailable` and close 1001 tell the client to send it again elsewhere.
            return .none
        }
    }

    // MARK: Service answers

    /// The service accepted `hello`: announce the session's settings and establish it.
    package mutating func welcomed(_ welcome: WelcomeMessage) -> Action {
        guard state == .welcoming else { return .none }
        var welcome = welcome
        welcome.sessionId = sessionId
        welcome.heartbeatIntervalMs = Self.milliseconds(settings.heartbeatInterval)
        welcome.heartbeatTimeoutMs = Self.milliseconds(settings.heartbeatTimeout)
        welcome.limits.maxFrameBytes = Int64(settings.maxFrameBytes)
        welcome.limits.heartbeatTimeoutSeconds = (Self.milliseconds(settings.heartbeatTimeout) + 999) / 1000
        state = .established
        return .establish(welcome)
    }

    /// The service refused `hello`; a code without close code leaves room for a corrected `hello`.
    package mutating func welcomeFailed(_ error: ServiceError) -> Action {
        guard state == .welcoming else { return .none }
        state = .awaitingHello
        return refuse(error, requestId: nil)
    }

    /// A push completed (or was replayed).
    package mutating func pushed(_ push: PushMessage, result: PushResult) -> Action {
        reply(.pushResult(PushResultMessage(
            requestId: push.requestId, idempotencyKey: push.idempotencyKey, replayed: result.replayed,
            results: result.results, synced: result.synced, failed: result.failed, cursor: result.cursor
        )))
    }

    /// A pull returned a page.
    package mutating func pulled(_ pull: PullMessage, page: ChangePage) -> Action {
        reply(.changes(ChangesMessage(requestId: pull.requestId, changes: page.changes, cursor: page.cursor, hasMore: page.hasMore)))
    }

    /// An acknowledgement was stored.
    package mutating func acknowledged(_ ack: AckMessage, result: AckResult) -> Action {
        reply(.acked(AckedMessage(requestId: ack.requestId, cursor: result.cursor ?? ack.cursor)))
    }

    /// The service refused a request.
    package mutating func failed(_ request: Request, error: ServiceError) -> Action {
        switch state {
        case .established, .draining: refuse(error, requestId: request.requestId)
        case .awaitingHello, .welcoming, .closed: .none
        }
    }

    private func reply(_ message: ServerMessage) -> Action {
        switch state {
        case .established, .draining: .send(message)
        case .awaitingHello, .welcoming, .closed: .none
        }
    }

    // MARK: Real time

    /// The tenant's change feed ended: test control reset the tenant (TEST-3), close with 1012.
    package mutating func changeFeedFinished() -> Action {
        if case .closed = state { return .none }
        state = .closed(code: CloseCode.serviceRestart)
        return .close(nil, code: CloseCode.serviceRestart)
    }

    /// The token that authenticated the session expired (AUTH-7): `token_expired`, then close 4401.
    package mutating func tokenExpired() -> Action {
        switch state {
        case .closed: return .none
        default: return refuse(ServiceError(.tokenExpired, "the session's token has expired; reconnect with a fresh one"), requestId: nil)
        }
    }

    /// The client did not read and what waits to be sent passed the session's bounds (WS-14):
    /// `slow_consumer`, then close 4008.
    package mutating func slowConsumer() -> Action {
        if case .closed = state { return .none }
        return refuse(ServiceError(.slowConsumer, "the client does not read what the server sends; reconnect and resume from the acknowledged cursor"), requestId: nil)
    }

    // MARK: Shutdown

    /// The server is shutting down. An established session finishes the requests it received and
    /// then reports `drained()`; a session not yet established closes at once.
    package mutating func beginDraining() -> Action {
        switch state {
        case .awaitingHello, .welcoming:
            return refuse(Self.shuttingDown, requestId: nil)
        case .established:
            state = .draining
            return .none
        case .draining, .closed:
            return .none
        }
    }

    /// Every request received before the shutdown was answered: send `unavailable`, close 1001 (WS-12).
    package mutating func drained() -> Action {
        guard state == .draining else { return .none }
        return refuse(Self.shuttingDown, requestId: nil)
    }

    private static let shuttingDown = ServiceError(.unavailable, "the server is shutting down; reconnect, possibly to another node")

    // MARK: Helpers

    /// Answers with an `error`; closes when the registry gives the code a close code (WS-9).
    mutating func refuse(_ error: ServiceError, requestId: String?) -> Action {
        let message = ServerMessage.error(error.errorMessage(requestId: requestId))
        guard let closeCode = error.info.closeCode else { return .send(message) }
        state = .closed(code: UInt16(closeCode))
        return .close(message, code: UInt16(closeCode))
    }

    private static func majorVersion(of version: String) -> Int? {
        version.split(separator: ".").first.flatMap { Int($0) }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
