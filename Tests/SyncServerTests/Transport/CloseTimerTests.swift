import Foundation
import Logging
@testable import SyncServer
import SyncTestSupport
import Testing

/// The close timer (WS-14): once the server decides to close, a client that does not answer in
/// time is disconnected, even when the close frame itself cannot be written because the client
/// reads nothing.
@Suite struct CloseTimerTests {
    @Test("a client that never reads is disconnected about the close timeout after the server closed it as a slow consumer")
    func aClientThatReadsNothingIsDisconnected() async throws {
        let service = FakeSyncService()
        service.pagesHold(300)
        let limits = TransportLimits(maxFrameBytes: 1 << 20, closeTimeout: .milliseconds(500),
                                     sessionQueueBytes: 256 * 1024, sessionQueueMessages: 4096)
        var configuration = TransportConfiguration(host: "127.0.0.1", port: 0, limits: limits)
        configuration.rateLimits = .unlimited
        var logger = Logger(label: "close-timer")
        logger.logLevel = .critical
        configuration.logger = logger
        let transport = SyncTransport(service: service, authenticate: TestToken.authenticate, configuration: configuration)
        try await withLiveServer(transport) { client in
            let port = try #require(client.port)
            let held = try await WebSocketFrameFuzzTests.onThread { () throws -> Held in
                let socket = try rawWebSocket(port: port)
                let hello = #"{"type":"hello","protocol_version":"1.0.0","client":{"platform":"ios","app_version":"1.0.0","os_version":"18.2","network_type":"wifi"}}"#
                var sent = socket.send(Self.textFrame(hello))
                // Pages of 300 changes, about 100 KB each, far more than the socket buffers and
                // the session's queue hold; nothing is ever read.
                for index in 0..<400 where sent {
                    sent = socket.send(Self.textFrame(#"{"type":"pull","request_id":"p\#(index)"}"#))
                }
                return Held(socket: socket)
            }
            let sessions = { () async throws -> Double? in
                let response = parseRawResponse(try await rawHTTPExchange(port: port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                return try PrometheusText.parse(response.body).first { $0.name == "mobilesync_websocket_sessions" }?.value
            }
            #expect(try await sessions() == 1, "the session is open while the client sends")
            let started = ContinuousClock.now
            var open = true
            while open, ContinuousClock.now - started < .seconds(20) {
                try await Task.sleep(for: .milliseconds(100))
                open = try await sessions() != 0
            }
            #expect(!open, "the session was still open 20 s later; the close frame could never be written")
            withExtendedLifetime(held) {}
        }
    }

    /// Keeps the client's socket open (and unread) while the test watches the server; no thread
    /// uses it after the one that sent on it, hence unchecked.
    final class Held: @unchecked Sendable {
        let socket: RawSocket
        init(socket: RawSocket) { self.socket = socket }
    }

    /// A masked text frame (a zero mask leaves the payload as it is).
    static func textFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 65_536)
        let length: [UInt8] = payload.count < 126 ? [0x80 | UInt8(payload.count)] : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        return [0x81] + length + [0, 0, 0, 0] + payload
    }
}
