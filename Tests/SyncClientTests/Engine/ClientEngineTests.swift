import Foundation
import SyncClient
import SyncProtocol
import Testing

/// The client engine against a server played by the test: no sockets, every frame checked.
@Suite("SyncClient engine against a scripted server")
struct ClientEngineTests {
    private func makeClient(_ server: ScriptedServer, store: any ClientStore = InMemoryClientStore()) -> SyncClient {
        var configuration = SyncClientConfiguration(serverURL: URL(string: "http://127.0.0.1:9")!)
        configuration.reconnectBackoff = Backoff(baseMs: 10, capMs: 50, floorMs: 1)
        configuration.uploader = UploaderStateMachine.Configuration(backoff: Backoff(baseMs: 10, capMs: 50, floorMs: 1))
        return SyncClient(configuration: configuration, store: store, connector: server, tokens: StaticTokenProvider("token"))
    }

    private func applied(_ push: PushMessage, statuses: [Int64: MutationStatus] = [:]) -> ServerMessage {
        let results = push.mutations.map { mutation in
            let status = statuses[mutation.seq] ?? .applied
            return MutationResult(seq: mutation.seq, collection: mutation.collection, recordId: mutation.recordId, status: status,
                                  version: status == .rejected ? nil : mutation.baseVersion + 1,
                                  error: status == .rejected ? "invalid_mutation" : nil)
        }
        let failed = Int64(results.filter { $0.status == .rejected }.count)
        return .pushResult(PushResultMessage(requestId: push.requestId, idempotencyKey: push.idempotencyKey, replayed: false,
                                             results: results, synced: Int64(results.count) - failed, failed: failed, cursor: "c_9"))
    }

    private func nextPush(_ connection: ScriptedConnection) async throws -> PushMessage {
        while true {
            switch try await connection.nextFromClient(skippingAcks: true) {
            case .push(let push): return push
            case .pong, .ping: continue
            case let other: throw ScriptError("expected push, got \(other)")
            }
        }
    }

    @Test("a batch in flight when the connection drops is sent again unchanged, and settles once")
    func resendAfterDrop() async throws {
        let server = ScriptedServer()
        let client = makeClient(server)
        let handles = try await (0..<3).asyncMap { try await client.put("tasks", id: "t\($0)", fields: ["n": .int(Int64($0))]) }
        await client.start()
        let first = try await server.establishedConnection()
        let sent = try await nextPush(first)
        #expect(sent.mutations.map(\.seq) == [1, 2, 3])
        first.drop()
        let second = try await server.establishedConnection(lastSeq: 0)
        let resent = try await nextPush(second)
        #expect(resent.idempotencyKey == sent.idempotencyKey)
        #expect(resent.mutations == sent.mutations)
        second.reply(applied(resent))
        for handle in handles { #expect(try await handle.settled().status == .applied) }
        #expect(try await client.store.pendingCount() == 0)
        await client.stop()
    }

    @Test("a rejected mutation in the middle settles with its error and the others go through")
    func rejectionDoesNotBlock() async throws {
        let server = ScriptedServer()
        let client = makeClient(server)
        let handles = try await (0..<5).asyncMap { try await client.put("tasks", id: "t\($0)", fields: [:]) }
        await client.start()
        let connection = try await server.establishedConnection()
        let push = try await nextPush(connection)
        connection.reply(applied(push, statuses: [3: .rejected]))
        let statuses = try await handles.asyncMap { try await $0.settled().status }
        #expect(statuses == [.applied, .applied, .rejected, .applied, .applied])
        #expect(try await client.store.pendingCount() == 0)
        #expect(try await client.store.rejected().map(\.seq) == [3])
        // Later writes are not held back by the rejection.
        let later = try await client.put("tasks", id: "t9", fields: [:])
        let next = try await nextPush(connection)
        #expect(next.mutations.map(\.seq) == [6])
        connection.reply(applied(next))
        #expect(try await later.settled().status == .applied)
        await client.stop()
    }

    @Test("pings are answered with the same nonce")
    func pong() async throws {
        let server = ScriptedServer()
        let client = makeClient(server)
        await client.start()
        let connection = try await server.establishedConnection()
        connection.reply(.ping(PingMessage(nonce: "n-42")))
        var pong: PongMessage?
        while pong == nil {
            if case .pong(let message) = try await connection.nextFromClient(skippingAcks: true) { pong = message }
        }
        #expect(pong?.nonce == "n-42")
        await client.stop()
    }

    @Test("a change for a record with a pending edit keeps the edit on top until the server settles it")
    func pendingEditStaysOnTop() async throws {
        let server = ScriptedServer()
        let client = makeClient(server)
        let base = Record(collection: "tasks", id: "r", fields: ["title": "old", "status": "open"], version: 1,
                          fieldVersions: ["title": 1, "status": 1], updatedAt: 1, clientTime: 1, deleted: false)
        await client.start()
        let connection = try await server.establishedConnection(changes: [Change(cursor: "c_1", op: .create, record: base)], cursor: "c_1")
        try await waitUntil { try await client.record("tasks", id: "r")?.serverVersion == 1 }
        _ = try await client.update("tasks", id: "r", fields: ["title": "mine"])
        let push = try await nextPush(connection)
        // Before answering the push, another device's change arrives for the same record.
        var theirs = base
        theirs.fields = ["title": "theirs", "status": "done"]
        theirs.version = 2
        connection.reply(.change(ChangeMessage(change: Change(cursor: "c_2", op: .update, record: theirs))))
        try await waitUntil { try await client.record("tasks", id: "r")?.serverVersion == 2 }
        let shown = try #require(try await client.record("tasks", id: "r"))
        #expect(shown.fields["title"] == "mine")
        #expect(shown.fields["status"] == "done")
        #expect(shown.pendingMutations == 1)
        // The server settles the edit with its merged record.
        var merged = theirs
        merged.fields["title"] = "mine"
        merged.version = 3
        connection.reply(.pushResult(PushResultMessage(
            requestId: push.requestId, idempotencyKey: push.idempotencyKey, replayed: false,
            results: [MutationResult(seq: 1, collection: "tasks", recordId: "r", status: .merged, version: 3, record: merged)],
            synced: 1, failed: 0, cursor: "c_3")))
        try await waitUntil { try await client.record("tasks", id: "r")?.pendingMutations == 0 }
        #expect(try await client.record("tasks", id: "r")?.fields == merged.fields)
        await client.stop()
    }

    @Test("a cursor is acknowledged only once the change is stored")
    func ackAfterStore() async throws {
        let server = ScriptedServer()
        let store = InMemoryClientStore()
        let client = makeClient(server, store: store)
        await client.start()
        let connection = try await server.establishedConnection()
        let record = Record(collection: "tasks", id: "x", fields: ["a": 1], version: 1, fieldVersions: ["a": 1], updatedAt: 1,
                            clientTime: 1, deleted: false)
        connection.reply(.change(ChangeMessage(change: Change(cursor: "c_7", op: .create, record: record))))
        var ack: AckMessage?
        while ack == nil {
            guard case .ack(let message) = try await connection.nextFromClient() else { continue }
            if message.cursor == "c_7" {
                ack = message
            } else {
                // The catch-up's cursor goes first; one acknowledgement is in flight at a time.
                connection.reply(.acked(AckedMessage(requestId: message.requestId, cursor: message.cursor)))
            }
        }
        #expect(try await store.cursors().stored == "c_7")
        #expect(try await store.record(collection: "tasks", id: "x")?.serverVersion == 1)
        await client.stop()
    }

    @Test("a server ahead of the store's numbers gets the writes renumbered after its last_seq")
    func rebaseOnWelcome() async throws {
        let server = ScriptedServer()
        let client = makeClient(server)
        _ = try await client.put("tasks", id: "a", fields: [:])
        _ = try await client.put("tasks", id: "b", fields: [:])
        await client.start()
        let connection = try await server.establishedConnection(lastSeq: 10)
        let push = try await nextPush(connection)
        #expect(push.mutations.map(\.seq) == [11, 12])
        await client.stop()
    }
}

/// Polls `condition` until it holds, failing after `timeout`.
func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable () async throws -> Bool) async throws {
    try await within(timeout) {
        while try await !condition() { try await Task.sleep(for: .milliseconds(5)) }
    }
}

extension Sequence where Element: Sendable {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
