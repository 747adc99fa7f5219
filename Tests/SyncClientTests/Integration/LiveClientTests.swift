import Foundation
import SyncClient
import SyncClientWebSocket
import SyncProtocol
import Testing

/// The SDK against real `sync-server` processes on loopback: pending edits under incoming
/// changes, a server killed during pushes, a client restarted after `stop()`. One suite, run one
/// test at a time: each starts its own server and measures what arrives.
@Suite("SyncClient against a live server", .serialized)
struct LiveClientTests {
    @Test("a change for a record with a pending edit keeps the edit visible until the server settles it")
    func pendingEditSurvivesIncomingChange() async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        let gate = PushGate(WebSocketConnector(openTimeout: .seconds(3)))
        let a = try await deployment.client("phone-a", connector: gate)
        let b = try await deployment.client("phone-b")
        _ = try await b.put("notes", id: "n1", fields: ["title": "original", "body": "x"])
        try await b.sync(timeout: .seconds(30))
        await a.start()
        try await waitUntil("device a has the record") { try await a.record("notes", id: "n1")?.serverVersion == 1 }

        // A edits; its push waits behind the gate while B's change arrives.
        let edit = try await a.update("notes", id: "n1", fields: ["title": "edited on a"])
        try await waitUntil("the push is held") { gate.heldCount == 1 }
        _ = try await b.update("notes", id: "n1", fields: ["body": "from b"])
        try await b.sync(timeout: .seconds(30))
        try await waitUntil("device a received b's change") { try await a.record("notes", id: "n1")?.serverVersion == 2 }
        let pending = try #require(try await a.record("notes", id: "n1"))
        #expect(pending.fields["title"] == "edited on a", "the user's edit must stay on top: \(pending.fields)")
        #expect(pending.fields["body"] == "from b", "the server's change shows under the edit")
        #expect(pending.hasPendingChanges)

        // Settled: the server's default (server_wins) keeps version 2 and the edit gives way.
        await gate.open()
        let result = try await edit.settled()
        #expect(result.status == .conflictResolved)
        try await a.sync(timeout: .seconds(30))
        let server = try #require(try await deployment.serverRecords()[RecordKey(collection: "notes", id: "n1")])
        let settled = try #require(try await a.record("notes", id: "n1"))
        #expect(settled.fields == server.fields)
        #expect(settled.fields == ["title": "original", "body": "from b"])
        #expect(!settled.hasPendingChanges)
        await a.stop()
        await b.stop()
    }

    @Test("the server killed during 500 pushes loses and duplicates nothing")
    func serverKilledDuringPushes() async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        let client = try await deployment.client("phone-a", batchSize: 5)
        await client.start()
        var handles: [WriteHandle] = []
        for index in 0..<500 {
            handles.append(try await client.put("readings", id: "r\(index)", fields: ["value": .int(Int64(index))]))
            if index == 150 {
                try await waitUntil("some pushes reached the server") { try await deployment.changeCount() > 20 }
                deployment.killServer()
            }
            if index == 300 { try await deployment.startServer() }
            if index % 25 == 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await client.sync(timeout: .seconds(120))
        for handle in handles {
            let result = try await handle.settled()
            #expect(result.status == .applied || result.status == .duplicate, "seq \(handle.seq): \(result.status)")
        }
        let records = try await deployment.serverRecords()
        #expect(records.count == 500)
        #expect(records.values.allSatisfy { $0.version == 1 }, "a write applied twice would have version 2")
        #expect(try await deployment.changeCount() == 500)
        #expect(Set(records.keys.map(\.id)) == Set((0..<500).map { "r\($0)" }))
        await client.stop()
    }

    @Test("a client stopped and started again keeps syncing on the same store")
    func restartAgainstServer() async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        let client = try await deployment.client("phone-a")
        _ = try await client.put("notes", id: "n1", fields: ["title": "first"])
        try await client.sync(timeout: .seconds(30))
        await client.stop()
        _ = try await client.put("notes", id: "n2", fields: ["title": "while stopped"])
        try await client.sync(timeout: .seconds(30))
        let records = try await deployment.serverRecords()
        #expect(records.count == 2)
        var connected = false
        for await status in client.status where status.connection == .connected {
            connected = true
            break
        }
        #expect(connected)
        await client.stop()
    }
}

/// Polls `condition` every 20 ms until it holds, failing after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now > deadline { throw LiveFailure("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
