import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import SyncProtocol

/// A WebSocket client to a server process, usable from any task: frames in and out go through
/// streams, so several sockets can be open at once in one test.
actor LiveSocket {
    private var buffered: [String] = []
    private var closed = false
    private var waiter: (id: Int, continuation: CheckedContinuation<String?, Never>)?
    private var nextWaiterId = 0
    private let outgoing: AsyncStream<String>.Continuation
    private var connection: Task<Void, any Error>?

    private init(outgoing: AsyncStream<String>.Continuation) {
        self.outgoing = outgoing
    }

    /// Connects with `token` in the `token` query parameter, offering the subprotocol.
    static func connect(port: Int, token: String) async throws -> LiveSocket {
        let (outgoing, outgoingContinuation) = AsyncStream<String>.makeStream()
        let socket = LiveSocket(outgoing: outgoingContinuation)
        var logger = Logger(label: "live-socket")
        logger.logLevel = .critical
        let headers: HTTPFields = [.secWebSocketProtocol: ProtocolInfo.subprotocol]
        let connection = Task {
            defer { Task { await socket.receive(nil) } }
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)\(ProtocolInfo.websocketPath)?token=\(token)",
                configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers),
                logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { await socket.receive(text) }
                        }
                    }
                    group.addTask {
                        for await text in outgoing { try await outbound.write(.text(text)) }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
        await socket.attach(connection)
        return socket
    }

    private func attach(_ connection: Task<Void, any Error>) {
        self.connection = connection
    }

    /// A frame from the server, or `nil` when the connection ended.
    private func receive(_ text: String?) {
        if let waiting = waiter {
            waiter = nil
            waiting.continuation.resume(returning: text)
            if text == nil { closed = true }
            return
        }
        if let text { buffered.append(text) } else { closed = true }
    }

    private func expire(_ id: Int) {
        guard let waiting = waiter, waiting.id == id else { return }
        waiter = nil
        waiting.continuation.resume(returning: nil)
    }

    /// The next frame's text, or `nil` after `timeout` or once the connection ended.
    private func nextText(timeout: Duration) async -> String? {
        if !buffered.isEmpty { return buffered.removeFirst() }
        if closed { return nil }
        nextWaiterId += 1
        let id = nextWaiterId
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { waiter = (id, $0) }
    }

    /// The next server message, or `nil` when none arrives within `timeout` or the socket closed.
    func next(timeout: Duration = .seconds(10)) async throws -> ServerMessage? {
        guard let text = await nextText(timeout: timeout) else { return nil }
        return try JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8))
    }

    /// Sends a client message.
    func send(_ message: ClientMessage) {
        outgoing.yield(String(decoding: message.encoded(), as: UTF8.self))
    }

    /// Sends raw text (for malformed input).
    func send(raw text: String) {
        outgoing.yield(text)
    }

    /// Sends `hello` and returns `welcome`.
    func handshake(cursor: String? = nil) async throws -> WelcomeMessage {
        send(.hello(HelloMessage(protocolVersion: ProtocolInfo.version,
                                 client: ClientInfo(platform: "linux", appVersion: "1.0.0", osVersion: "6.1", networkType: .ethernet), cursor: cursor)))
        guard case .welcome(let welcome) = try await next() else { throw LiveSocketError.unexpectedReply }
        return welcome
    }

    /// Closes the connection from the client side.
    func close() async {
        outgoing.finish()
        connection?.cancel()
        _ = try? await connection?.value
    }
}

enum LiveSocketError: Error {
    case unexpectedReply
}
