public import Foundation
import HTTPTypes
public import Logging
import NIOCore
import NIOWebSocket
public import SyncClient
import SyncProtocol
import Synchronization
import WSClient

/// A `SyncConnector` on swift-websocket's `WSClient` (SwiftNIO): works on Linux and on Apple
/// platforms, with TLS for `wss://` URLs.
///
/// Kept out of `SyncClient` so that an app that brings its own WebSocket stack (for example
/// `URLSessionWebSocketTask`) links neither NIO nor this module.
public struct WebSocketConnector: SyncConnector {
    private let logger: Logger
    private let openTimeout: Duration

    /// Creates a connector that logs through `logger` (connection-level events only) and gives
    /// up on a server that has not completed the WebSocket upgrade within `openTimeout` (one
    /// that accepts TCP connections but never answers, say, while it is stopped or overloaded).
    public init(logger: Logger = Logger(label: "mobilesync.client.websocket"), openTimeout: Duration = .seconds(10)) {
        self.logger = logger
        self.openTimeout = openTimeout
    }

    public func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
        let connection = WebSocketConnection()
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.secWebSocketProtocol] = "mobilesync.v1"
        let configuration = WebSocketClientConfiguration(maxFrameSize: maxFrameBytes, additionalHeaders: headers,
                                                         closeTimeout: .seconds(5), validateUTF8: true)
        let client = WebSocketClient(url: url.absoluteString, configuration: configuration, logger: logger) { inbound, outbound, _ in
            try await connection.serve(inbound: inbound, outbound: outbound, maxFrameBytes: maxFrameBytes)
        }
        let runner = Task {
            do {
                let frame = try await client.run()
                connection.ended(closeCode: frame.map { UInt16(webSocketErrorCode: $0.closeCode) } ?? 1006, failure: nil)
            } catch {
                connection.ended(closeCode: 1006, failure: Self.transportError(error))
            }
        }
        connection.runner = runner
        do throws(TransportError) {
            try await connection.waitUntilOpen(timeout: openTimeout)
        } catch {
            runner.cancel()
            throw error
        }
        return connection
    }

    /// Maps `WSClient` and NIO failures to the SDK's kinds.
    static func transportError(_ error: any Error) -> TransportError {
        if let error = error as? WebSocketClientError {
            switch error {
            case .webSocketUpgradeFailed:
                return TransportError(.upgradeFailed, "the server refused the WebSocket upgrade")
            case .invalidURL:
                return TransportError(.unreachable, "the server URL is not a ws:// or wss:// URL")
            default:
                return TransportError(.closed(code: 1002), "the WebSocket failed: \(error)")
            }
        }
        if error is CancellationError { return TransportError(.cancelled, "the connection was cancelled") }
        return TransportError(.unreachable, "the server could not be reached (\(String(describing: type(of: error))))")
    }
}

/// One `WSClient` connection seen through `SyncConnection`: frames from the server wait in a
/// stream until `receive()` takes them; frames to send go through a stream the handler drains.
final class WebSocketConnection: SyncConnection, @unchecked Sendable {
    // @unchecked: `runner` is written once by the connector before the connection is returned
    // and read only by `close`; everything else is in Sendable streams or behind the mutex.
    var runner: Task<Void, Never>?

    private let incoming = AsyncStream<Result<ServerMessage, TransportError>>.makeStream()
    private let outgoing = AsyncStream<Outgoing>.makeStream()
    private let opened = AsyncStream<TransportError?>.makeStream()
    private let closedCode = Mutex<UInt16?>(nil)

    private enum Outgoing: Sendable {
        case text(String)
        case close(UInt16)
    }

    /// Waits until the upgrade succeeded or failed, or `timeout` passed.
    func waitUntilOpen(timeout: Duration) async throws(TransportError) {
        let opened = opened.stream
        let outcome = await withTaskGroup(of: TransportError?.self) { group in
            group.addTask {
                for await outcome in opened { return outcome }
                return TransportError(.cancelled, "the connection was cancelled while opening")
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                return TransportError(.unreachable, "the server did not complete the WebSocket upgrade within \(timeout)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let outcome { throw outcome }
    }

    /// The `WSClient` handler: forwards inbound frames and writes outbound ones until either side closes.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, maxFrameBytes: Int) async throws {
        opened.continuation.yield(nil)
        opened.continuation.finish()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [outgoing] in
                for await item in outgoing.stream {
                    switch item {
                    case .text(let text): try await outbound.write(.text(text))
                    case .close(let code):
                        try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: nil)
                        return
                    }
                }
            }
            group.addTask { [incoming] in
                for try await message in inbound.messages(maxSize: maxFrameBytes) {
                    guard case .text(let text) = message else {
                        incoming.continuation.yield(.failure(TransportError(.malformedFrame, "the server sent a binary frame")))
                        continue
                    }
                    do throws(WireError) {
                        incoming.continuation.yield(.success(try ServerMessage.decode(Data(text.utf8))))
                    } catch {
                        incoming.continuation.yield(.failure(TransportError(.malformedFrame, "the server sent a frame that is not a server message: \(error.code)")))
                    }
                }
            }
            // Whichever side ends first ends the connection.
            try await group.next()
            group.cancelAll()
        }
    }

    /// Called once when the client stops: records the close code and wakes every waiter.
    func ended(closeCode: UInt16, failure: TransportError?) {
        closedCode.withLock { $0 = $0 ?? closeCode }
        opened.continuation.yield(failure ?? TransportError(.closed(code: closeCode), "the connection closed before it opened"))
        opened.continuation.finish()
        incoming.continuation.yield(.failure(failure ?? TransportError(.closed(code: closeCode), "the connection closed with \(closeCode)")))
        incoming.continuation.finish()
        outgoing.continuation.finish()
    }

    func send(_ message: ClientMessage) async throws(TransportError) {
        if let code = closedCode.withLock({ $0 }) {
            throw TransportError(.closed(code: code), "the connection is closed")
        }
        let text = String(decoding: message.encoded(), as: UTF8.self)
        if case .terminated = outgoing.continuation.yield(.text(text)) {
            throw TransportError(.closed(code: closedCode.withLock { $0 } ?? 1006), "the connection is closed")
        }
    }

    func receive() async throws(TransportError) -> ServerMessage {
        for await item in incoming.stream {
            switch item {
            case .success(let message): return message
            case .failure(let error): throw error
            }
        }
        throw TransportError(.closed(code: closedCode.withLock { $0 } ?? 1006), "the connection is closed")
    }

    func close(code: UInt16) async {
        outgoing.continuation.yield(.close(code))
        outgoing.continuation.finish()
        await runner?.value
    }
}
