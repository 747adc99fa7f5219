import Foundation
import Logging
import NIOWebSocket
import ServiceLifecycle
import SyncProtocol
@testable import SyncServer
import Testing

/// `SyncTransport.run()` in a service group, as the server runs it: a graceful shutdown ends the
/// WebSocket sessions properly before the HTTP server stops (WS-12).
@Suite(.timeLimit(.minutes(1))) struct SyncTransportShutdownTests {
    @Test func gracefulShutdownAnswersInFlightRequestsThenClosesWith1001() async throws {
        let service = FakeSyncService()
        service.holdPushes()
        var logger = Logger(label: "transport-tests")
        logger.logLevel = .critical
        let (ports, port) = AsyncStream<Int>.makeStream()
        var configuration = TransportConfiguration(host: "localhost", port: 0, logger: logger)
        configuration.onServerRunning = { port.yield($0) }
        let transport = SyncTransport(service: service, authenticate: TestToken.authenticate, configuration: configuration)
        let group = ServiceGroup(configuration: .init(services: [transport], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var listening = ports.makeAsyncIterator()
            let bound = try #require(await listening.next())

            let close = try await withTestSocket(port: bound) { socket in
                _ = try await socket.handshake()
                try await socket.send(.push(PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 1)])))
                await service.waitForHeldPush()
                await group.triggerGracefulShutdown()
                try await waitUntil { await transport.registry.isDraining }
                service.releasePushes()
                guard case .pushResult(let result) = try await socket.receive() else { throw TestSocketError.unexpected }
                #expect(result.requestId == "r-1", "the request in flight is answered first")
                #expect(try await socket.receiveError().code == ErrorCode.unavailable.rawValue)
                #expect(try await socket.receive() == nil)
            }
            #expect(close?.closeCode == .goingAway)
            try await tasks.waitForAll()
        }
    }
}
