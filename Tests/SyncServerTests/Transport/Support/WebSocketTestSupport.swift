import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import NIOPosix
import SyncProtocol
import SyncTestSupport
@testable import SyncServer
import Testing

/// One client connection to the server's WebSocket, speaking in wire messages.
struct TestSocket {
    let outbound: WebSocketOutboundWriter
    var messages: WebSocketInboundMessageStream.AsyncIterator

    /// Sends one text message.
    func send(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// Sends one client message.
    func send(_ message: ClientMessage) async throws {
        try await send(String(decoding: message.encoded(), as: UTF8.self))
    }

    /// The next server message, decoded without validation (tests shorten the heartbeat below
    /// the schema's minimum); `nil` once the server closed.
    mutating func receive() async throws -> ServerMessage? {
        guard let message = try await messages.next() else { return nil }
        guard case .text(let text) = message else {
            Issue.record("the server sent a binary message")
            return nil
        }
        return try JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8))
    }

    /// Sends `hello` and returns the `welcome`.
    mutating func handshake(sourceLocation: SourceLocation = #_sourceLocation) async throws -> WelcomeMessage {
        try await send(.hello(helloMessage))
        let reply = try await receive()
        guard case .welcome(let welcome) = reply else {
            Issue.record("expected welcome, got \(String(describing: reply))", sourceLocation: sourceLocation)
            throw TestSocketError.unexpected
        }
        return welcome
    }

    /// The next message, which must be an `error`.
    mutating func receiveError(sourceLocation: SourceLocation = #_sourceLocation) async throws -> ErrorMessage {
        let reply = try await receive()
        guard case .error(let error) = reply else {
            Issue.record("expected error, got \(String(describing: reply))", sourceLocation: sourceLocation)
            throw TestSocketError.unexpected
        }
        return error
    }
}

enum TestSocketError: Error {
    case unexpected
}

let helloMessage = HelloMessage(
    protocolVersion: "1.0.0", client: ClientInfo(platform: "ios", appVersion: "3.14.1", osVersion: "18.2", networkType: .wifi), features: []
)

/// Runs `body` against `transport` served live on port 0. The test client is made to connect
/// before `body` runs: HummingbirdTesting's client leaks a connection that is still connecting when
/// the test ends, and the server's shutdown then waits for it forever.
func withLiveServer<Value: Sendable>(
    _ transport: SyncTransport, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    try await transport.application.test(.live) { client in
        _ = try await client.execute(uri: "/health", method: .get)
        return try await body(client)
    }
}

/// Waits until `condition` holds, for states that announce no event; fails the test after `timeout`.
func waitUntil(
    timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation, _ condition: @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("the condition did not hold in time", sourceLocation: sourceLocation)
            throw TestSocketError.unexpected
        }
        await Task.yield()
    }
}

/// Opens a WebSocket to the live test server on `port`, offering the subprotocol and
/// authenticating with `token` in the header (or nothing, when `nil`), and runs `body` on it.
/// Returns the close frame the server ended the connection with.
@discardableResult
func withTestSocket(
    port: Int?, token: String? = TestToken.device, path: String = ProtocolInfo.websocketPath, autoPing: AutoPingSetup = .disabled,
    _ body: @escaping @Sendable (inout TestSocket) async throws -> Void
) async throws -> WebSocketCloseFrame? {
    var headers: HTTPFields = [.secWebSocketProtocol: ProtocolInfo.subprotocol]
    if let token { headers[.authorization] = "Bearer \(token)" }
    var logger = Logger(label: "test-socket")
    logger.logLevel = testLogLevel
    return try await WebSocketClient.connect(
        url: "ws://localhost:\(try #require(port))\(path)",
        configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers, autoPing: autoPing),
        logger: logger
    ) { inbound, outbound, _ in
        var socket = TestSocket(outbound: outbound, messages: inbound.messages(maxSize: 1 << 22).makeAsyncIterator())
        try await body(&socket)
    }
}

/// Sends raw bytes to the server and reads its answer until `isComplete` says so or the server
/// closes: for upgrade requests whose answer the WebSocket client does not show.
func rawHTTPExchange(port: Int?, _ request: String, isComplete: @escaping @Sendable (String) -> Bool = { _ in false }) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "localhost", port: try #require(port)) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: request))
        var received = ""
        for try await chunk in inbound {
            received += String(buffer: chunk)
            if isComplete(received) { break }
        }
        return received
    }
}

/// An upgrade request for the WebSocket path with the given extra header lines.
func upgradeRequest(path: String = ProtocolInfo.websocketPath, headers: [String]) -> String {
    (["GET \(path) HTTP/1.1", "Host: localhost", "Upgrade: websocket", "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"] + headers + ["", ""])
        .joined(separator: "\r\n")
}

/// The status code and the body of a raw HTTP/1.1 response.
func parseRawResponse(_ text: String) -> (status: Int, headers: [String: String], body: String) {
    let parts = text.components(separatedBy: "\r\n\r\n")
    let lines = parts[0].components(separatedBy: "\r\n")
    let status = lines.first.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        let pair = line.split(separator: ":", maxSplits: 1)
        if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
    }
    return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// Runs `body` with the port of a live transport over `FakeSyncService` whose sessions take
/// messages of at most 64 KiB, without rate limits or logs: for tests that send raw frames.
func withRawFrameServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    var configuration = TransportConfiguration(host: "127.0.0.1", port: 0, limits: TransportLimits(maxFrameBytes: 64 * 1024))
    configuration.rateLimits = .unlimited
    var logger = Logger(label: "raw-frames")
    logger.logLevel = .critical
    configuration.logger = logger
    let transport = SyncTransport(service: FakeSyncService(), authenticate: TestToken.authenticate, configuration: configuration)
    try await withLiveServer(transport) { client in try await body(try #require(client.port)) }
}

/// A blocking socket to `port`, past the WebSocket upgrade of `TestToken.device`.
func rawWebSocket(port: Int) throws -> RawSocket {
    let socket = try RawSocket(port: port)
    _ = socket.send(Array(("GET /v1/sync?token=\(TestToken.device) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: mobilesync.v1\r\n\r\n").utf8))
    let head = socket.receive(until: Array("\r\n\r\n".utf8), timeoutMs: 5_000)
    try #require(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101"), "the upgrade was not accepted")
    return socket
}
