import Foundation
import SyncClient
import SyncProtocol
import Testing

/// Two devices edit the same record while the server is down; when it is back both sync, and
/// under each conflict strategy the two devices and the server end with the same record, the
/// one the strategy picks.
extension LiveClientTests {
    struct ConflictCase: Sendable, CustomTestStringConvertible {
        var strategy: String
        var policy: String
        /// The fields every party must end with.
        var expected: JSONObject
        var testDescription: String { strategy }
    }

    static let conflictCases: [ConflictCase] = [
        // A's edit lands first (version 2); B's, based on version 1, is the conflict.
        ConflictCase(strategy: "client_wins", policy: #"{"strategy":"client_wins"}"#,
                     expected: ["title": "Pump 3", "priority": "medium", "status": "in_progress", "note": "from b"]),
        ConflictCase(strategy: "server_wins", policy: #"{"strategy":"server_wins"}"#,
                     expected: ["title": "Pump 3", "priority": "high", "status": "open", "note": "from a"]),
        // B wrote later on the device clock.
        ConflictCase(strategy: "most_recent_wins", policy: #"{"strategy":"most_recent_wins"}"#,
                     expected: ["title": "Pump 3", "priority": "medium", "status": "in_progress", "note": "from b"]),
        // Both changed priority (the more escalated wins) and note (no order: the server's);
        // only B changed status.
        ConflictCase(strategy: "preserve_escalation",
                     policy: #"{"strategy":"preserve_escalation","escalation":{"priority":["low","medium","high","critical"],"status":["open","in_progress","escalated"]}}"#,
                     expected: ["title": "Pump 3", "priority": "high", "status": "in_progress", "note": "from a"]),
        // Queued for review, then an operator takes B's change.
        ConflictCase(strategy: "manual", policy: #"{"strategy":"manual"}"#,
                     expected: ["title": "Pump 3", "priority": "medium", "status": "in_progress", "note": "from b"]),
    ]

    @Test("two devices edit offline; after the server is back all three agree", arguments: conflictCases)
    func offlineConflict(_ conflict: ConflictCase) async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        try await deployment.setPolicy("tickets", conflict.policy)
        let key = RecordKey(collection: "tickets", id: "t1")
        let a = try await deployment.client("phone-a")
        let b = try await deployment.client("phone-b")

        _ = try await a.put("tickets", id: "t1", fields: ["title": "Pump 3", "priority": "low", "status": "open", "note": "base"])
        try await a.sync(timeout: .seconds(30))
        try await b.sync(timeout: .seconds(30))
        #expect(try await b.record("tickets", id: "t1")?.serverVersion == 1)
        await a.stop()
        await b.stop()

        // Offline: the server is down, both devices edit.
        deployment.stopServer()
        let editA = try await a.update("tickets", id: "t1", fields: ["priority": "high", "note": "from a"])
        try await Task.sleep(for: .milliseconds(20))
        let editB = try await b.update("tickets", id: "t1", fields: ["priority": "medium", "status": "in_progress", "note": "from b"])
        #expect(try await a.record("tickets", id: "t1")?.fields["note"] == "from a")
        #expect(try await b.record("tickets", id: "t1")?.fields["note"] == "from b")

        try await deployment.startServer()
        try await a.sync(timeout: .seconds(30))
        try await b.sync(timeout: .seconds(30))
        #expect(try await editA.settled().status == .applied)
        let resultB = try await editB.settled()
        if conflict.strategy == "manual" {
            #expect(resultB.status == .queuedForReview)
            try await resolveOnlyReview(deployment, choice: "take_client")
        } else {
            // A field-level merge is reported as `merged`, the others as `conflict_resolved`.
            let expected: MutationStatus = conflict.strategy == "preserve_escalation" ? .merged : .conflictResolved
            #expect(resultB.status == expected, "\(resultB)")
            #expect(resultB.strategy?.rawValue == conflict.strategy)
        }
        try await a.sync(timeout: .seconds(30))
        try await b.sync(timeout: .seconds(30))

        let server = try #require(try await deployment.serverRecords()[key])
        #expect(server.fields == conflict.expected, "server: \(server.fields)")
        for (name, client) in [("a", a), ("b", b)] {
            let local = try #require(try await client.record("tickets", id: "t1"), "device \(name) lost the record")
            #expect(local.fields == server.fields, "device \(name): \(local.fields), server: \(server.fields)")
            #expect(local.serverVersion == server.version, "device \(name)")
            #expect(!local.hasPendingChanges, "device \(name)")
        }
        await a.stop()
        await b.stop()
    }

    /// Resolves the tenant's only pending review with `choice`, as an operator.
    private func resolveOnlyReview(_ deployment: LiveDeployment, choice: String) async throws {
        let token = try await deployment.token(device: "operator", roles: ["operator"])
        let (status, data) = try await deployment.request("GET", "/v1/reviews?status=pending", token: token)
        #expect(status == 200)
        let page = try WireCodec.decode(ReviewPage.self, from: data)
        let review = try #require(page.reviews.first)
        #expect(page.reviews.count == 1)
        let (resolved, body) = try await deployment.request("POST", "/v1/reviews/\(review.reviewId)/resolve",
                                                             body: Data(#"{"choice":"\#(choice)"}"#.utf8), token: token)
        #expect(resolved == 200, "\(String(decoding: body, as: UTF8.self))")
    }
}
