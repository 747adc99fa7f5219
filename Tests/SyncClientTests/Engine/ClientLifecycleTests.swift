import Foundation
import SyncClient
import SyncProtocol
import Synchronization
import Testing

/// Starting, stopping and `sync()` without sockets: the client restarts after `stop()`, a sync
/// interrupted by `stop()` says so, and a burst of writes while the server is unreachable does
/// not turn into a burst of connection attempts.
@Suite("SyncClient lifecycle")
struct ClientLifecycleTests {
    /// A connector whose server never answers: every attempt fails at once, and is counted.
    final class UnreachableConnector: SyncConnector, Sendable {
        let attempts = Mutex(0)

        func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
            attempts.withLock { $0 += 1 }
            throw TransportError(.unreachable, "connection refused")
        }
    }

    private func configuration(backoff: Backoff) -> SyncClientConfiguration {
        var configuration = SyncClientConfiguration(serverURL: URL(string: "http://127.0.0.1:9")!)
        configuration.reconnectBackoff = backoff
        configuration.uploader = UploaderStateMachine.Configuration(backoff: backoff)
        return configuration
    }

    @Test("writes while the server is unreachable do not make the client reconnect more often")
    func writesDoNotHurryReconnects() async throws {
        let connector = UnreachableConnector()
        let backoff = Backoff(baseMs: 100, capMs: 200, floorMs: 100)
        let client = SyncClient(configuration: configuration(backoff: backoff), store: InMemoryClientStore(),
                                connector: connector, tokens: StaticTokenProvider("token"))
        await client.start()
        let began = ContinuousClock.now
        var writes = 0
        while ContinuousClock.now - began < .milliseconds(1500) {
            _ = try await client.put("tasks", id: "t\(writes)", fields: ["n": .int(Int64(writes))])
            writes += 1
            if writes % 20 == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        let attempts = connector.attempts.withLock { $0 }
        await client.stop()
        // At most one attempt per 100 ms floor from each of the two timers (reconnect and the
        // uploader's retry), plus the first: the writes must not add any.
        #expect(writes > 200)
        #expect(attempts <= 35, "\(attempts) connection attempts during \(writes) writes in 1.5 s")
        #expect(attempts >= 2, "the client must keep retrying: \(attempts)")
    }

    @Test("stop() ends a waiting sync() with `stopped`, not success")
    func stopInterruptsSync() async throws {
        let client = SyncClient(configuration: configuration(backoff: Backoff(baseMs: 100, capMs: 200, floorMs: 100)),
                                store: InMemoryClientStore(), connector: UnreachableConnector(), tokens: StaticTokenProvider("token"))
        _ = try await client.put("tasks", id: "t1", fields: ["n": 1])
        let sync = Task { () -> SyncClientError? in
            do throws(SyncClientError) {
                try await client.sync(timeout: .seconds(30))
                return nil
            } catch {
                return error
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        await client.stop()
        let error = await sync.value
        #expect(error?.code == .stopped, "\(String(describing: error))")
    }

    @Test("sync() gives up after its timeout with `timed_out` and what is pending")
    func syncTimesOut() async throws {
        let client = SyncClient(configuration: configuration(backoff: Backoff(baseMs: 100, capMs: 200, floorMs: 100)),
                                store: InMemoryClientStore(), connector: UnreachableConnector(), tokens: StaticTokenProvider("token"))
        _ = try await client.put("tasks", id: "t1", fields: ["n": 1])
        let began = ContinuousClock.now
        do {
            try await client.sync(timeout: .milliseconds(300))
            Issue.record("sync() succeeded without a server")
        } catch {
            #expect(error.code == .timedOut)
            #expect(error.description.contains("1 pending"), "\(error)")
        }
        #expect(ContinuousClock.now - began < .seconds(5))
        await client.stop()
    }

    @Test("a stopped client starts again: it reconnects, sends what was written meanwhile, and reports status")
    func restartAfterStop() async throws {
        let server = ScriptedServer()
        var configuration = configuration(backoff: Backoff(baseMs: 10, capMs: 50, floorMs: 1))
        configuration.serverURL = URL(string: "http://127.0.0.1:9")!
        let client = SyncClient(configuration: configuration, store: InMemoryClientStore(), connector: server, tokens: StaticTokenProvider("token"))
        await client.start()
        _ = try await server.establishedConnection()
        await client.stop()

        _ = try await client.put("tasks", id: "t1", fields: ["n": 1])
        await client.start()
        let statuses = client.status
        let connection = try await server.establishedConnection()
        var push: PushMessage?
        while push == nil {
            if case .push(let message) = try await connection.nextFromClient(skippingAcks: true) { push = message }
        }
        #expect(push?.mutations.map(\.seq) == [1])
        var connected = false
        for await status in statuses where status.connection == .connected {
            connected = true
            break
        }
        #expect(connected)
        await client.stop()
    }
}
