import Foundation
import NIOCore
import NIOPosix
import Synchronization
import SyncProtocol
import Testing

/// Idle, half-sent and malformed connections to the `sync-server` process, and the connection
/// cap: none of them may hold a descriptor for long or keep real clients out.
@Suite("sync-server closes idle, half-sent and malformed connections and caps them")
struct ConnectionGuardTests {
    /// What a raw connection saw: everything the server sent, and how long until it closed
    /// (`nil` when it was still open after `wait`).
    struct Outcome {
        var received: String
        var closedAfter: Duration?
    }

    /// Connects to the server, sends `bytes` (maybe nothing) and reads until it closes or `wait`
    /// passes. With `second`, sends it once the first answer's head has arrived, on the same
    /// connection. A server that closes the connection before a write is a close, not an error.
    static func exchange(port: Int, _ bytes: String, then second: String? = nil, wait: Duration = .seconds(10)) async throws -> Outcome {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let start = ContinuousClock.now
        let seen = Mutex<Outcome?>(nil)
        do {
            try await channel.executeThenClose { inbound, outbound in
                let outcome = await Self.run(inbound: inbound, outbound: outbound, bytes, then: second, wait: wait, since: start)
                seen.withLock { $0 = outcome }
            }
        } catch {
            // Closing a connection the server already closed may fail; what was seen stands.
            guard seen.withLock({ $0 }) != nil else { throw error }
        }
        return seen.withLock { $0 } ?? Outcome(received: "", closedAfter: nil)
    }

    private static func run(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                            _ bytes: String, then second: String?, wait: Duration, since start: ContinuousClock.Instant) async -> Outcome {
        if !bytes.isEmpty { try? await outbound.write(ByteBuffer(string: bytes)) }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                var received = ""
                var pending = second
                do {
                    for try await chunk in inbound {
                        received += String(buffer: chunk)
                        if let next = pending, received.contains("\r\n\r\n") {
                            pending = nil
                            try? await outbound.write(ByteBuffer(string: next))
                        }
                    }
                } catch {}
                return Outcome(received: received, closedAfter: .now - start)
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? Outcome(received: "", closedAfter: nil)
        }
    }

    @Test("a connection that sends nothing, or half a request head, is closed after the request timeout")
    func idleAndHalfSent() async throws {
        try await LiveServer.with(arguments: ["--request-timeout", "1"]) { server in
            let port = server.process.port
            async let silent = Self.exchange(port: port, "")
            async let half = Self.exchange(port: port, "GET /health HTTP/1.1\r\nHost: loc")
            for outcome in try await [silent, half] {
                let closed = try #require(outcome.closedAfter, "still open after 10 s")
                #expect(closed >= .milliseconds(500) && closed < .seconds(5), "\(closed)")
                #expect(outcome.received.isEmpty)
            }
            // A whole request is answered; a WebSocket session outlives the request timeout.
            let health = try await server.http("GET", "health", token: nil)
            #expect(health.status == 200)
            let (socket, _) = try await server.socket(tenant: "acme", device: "phone")
            try await Task.sleep(for: .milliseconds(1500))
            await socket.send(.ping(PingMessage(nonce: "n1")))
            guard case .pong = try await socket.next() else { Issue.record("the session did not answer after the request timeout"); return }
            await socket.close()
        }
    }

    @Test("a keep-alive connection is closed after the idle timeout")
    func keepAliveIdle() async throws {
        try await LiveServer.with(arguments: ["--idle-timeout", "1"]) { server in
            let outcome = try await Self.exchange(port: server.process.port, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"))
            let closed = try #require(outcome.closedAfter, "still open after 10 s")
            #expect(closed >= .milliseconds(500) && closed < .seconds(5), "\(closed)")
        }
    }

    @Test("a request the parser cannot read is answered 400 and closed, never left hanging", arguments: [
        "BREW /v1/sync/push HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost localhost\r\n\r\n",
        "\u{01}\u{02}\u{03} nonsense\r\n\r\n",
        "GET /v1/sync HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nBad Header: x\r\n\r\n",
    ])
    func malformed(_ request: String) async throws {
        try await LiveServer.with { server in
            let outcome = try await Self.exchange(port: server.process.port, request, wait: .seconds(5))
            #expect(outcome.received.hasPrefix("HTTP/1.1 400"), "\(outcome.received.prefix(80))")
            #expect(outcome.received.contains("application/problem+json") && outcome.received.contains(#""code":"malformed_frame""#))
            #expect(outcome.closedAfter.map { $0 < .seconds(2) } == true)
            #expect(try await server.http("GET", "health", token: nil).status == 200)
        }
    }

    @Test("a 100 KB Authorization header is refused with a problem document, on a new and on a reused connection")
    func hugeAuthorizationHeader() async throws {
        try await LiveServer.with { server in
            let huge = "GET /v1/sync/cursor HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(String(repeating: "a", count: 100_000))\r\n\r\n"
            let fresh = try await Self.exchange(port: server.process.port, huge, wait: .seconds(5))
            let reused = try await Self.exchange(port: server.process.port, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", then: huge,
                                                 wait: .seconds(5))
            for outcome in [fresh, reused] {
                let last = outcome.received.components(separatedBy: "HTTP/1.1 ").last ?? ""
                #expect(last.hasPrefix("400") && last.contains(#""code":"malformed_frame""#), "\(outcome.received.prefix(300))")
                #expect(outcome.closedAfter.map { $0 < .seconds(2) } == true)
            }
            #expect(reused.received.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("past --max-connections new connections are closed at once; places free up as connections close")
    func cap() async throws {
        try await LiveServer.with(arguments: ["--max-connections", "3", "--request-timeout", "3"]) { server in
            let port = server.process.port
            // Three idle connections hold every place until their request timeout.
            async let holders = withThrowingTaskGroup(of: Outcome.self) { group in
                for _ in 0..<3 { group.addTask { try await Self.exchange(port: port, "") } }
                return try await group.reduce(into: [Outcome]()) { $0.append($1) }
            }
            try await Task.sleep(for: .milliseconds(500))
            let refused = try await Self.exchange(port: port, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", wait: .seconds(2))
            #expect(refused.received.isEmpty && refused.closedAfter.map { $0 < .seconds(1) } == true, "\(refused)")
            for outcome in try await holders { #expect(outcome.closedAfter != nil) }
            let metrics = try await server.http("GET", "metrics", token: nil)
            let samples = try PrometheusText.parse(String(decoding: metrics.body, as: UTF8.self))
            #expect(LiveHealthTests.value(samples, "mobilesync_connections_refused_total").map { $0 >= 1 } == true)
            #expect(LiveHealthTests.value(samples, "process_max_fds").map { $0 >= 1024 } == true)
        }
    }
}
