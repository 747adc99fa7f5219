import Foundation
import SyncProtocol
import Testing

extension FaultInjectionTests {
    /// The push, pull and ack faults of `fault-injection-server` change what the server answers,
    /// and the faithful server (`--fault none`) answers the same exchange as the spec says.
    @Suite("fault-injection-server: push, pull and ack faults")
    struct PushFaults {
        @Test("duplicate-applied-twice: a re-sent mutation is not answered duplicate (SEQ-2)")
        func duplicateAppliedTwice() async throws {
            let (reference, faulty) = try await FaultServer.compare("duplicate-applied-twice") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push([FaultServer.create(1, "a")], key: "k1", token: token)
                return try await server.push([FaultServer.create(1, "a")], key: "k2", token: token).result?.results.first?.status
            }
            #expect(reference == .duplicate)
            #expect(faulty == .conflictResolved)
        }

        @Test("seq-gap-accepted: a batch skipping sequence numbers is applied (SEQ-3)")
        func seqGapAccepted() async throws {
            let (reference, faulty) = try await FaultServer.compare("seq-gap-accepted") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push([FaultServer.create(1, "a")], key: "k1", token: token)
                let gap = try await server.http("POST", "v1/sync/push", token: token, body: WireCodec.encode(PushRequest(mutations: [FaultServer.create(3, "b")])),
                                                headers: ["Idempotency-Key": "k2"])
                return FaultServer.problemCode(gap.body) ?? (try? JSONDecoder().decode(PushResult.self, from: gap.body))?.results.first?.status.rawValue
            }
            #expect(reference == "sequence_gap")
            #expect(faulty == "applied")
        }

        @Test("wrong-conflict-winner: a stored client_wins resolves as server_wins (CONF-3)")
        func wrongConflictWinner() async throws {
            let (reference, faulty) = try await FaultServer.compare("wrong-conflict-winner") { server in
                let ops = try await server.token(tenant: "acme", device: nil, roles: ["operator"])
                let policy = try await server.http("PUT", "v1/policies/default", token: ops, body: WireCodec.encode(DefaultPolicyRequest(strategy: .clientWins)))
                #expect(policy.status == 200)
                _ = try await server.push([FaultServer.create(1, "a", ["title": "server"])], key: "k1", token: try await server.token(tenant: "acme", device: "phone"))
                let laptop = try await server.token(tenant: "acme", device: "laptop")
                let result = try await server.push([FaultServer.create(1, "a", ["title": "client"])], key: "k1", token: laptop).result?.results.first
                return (strategy: result?.strategy, title: result?.record?.fields["title"])
            }
            #expect(reference.strategy == .clientWins && reference.title == "client")
            #expect(faulty.strategy == .serverWins && faulty.title == "server")
        }

        @Test("replay-not-marked: a replayed batch has replayed false and no Idempotent-Replayed header (IDEM-4)")
        func replayNotMarked() async throws {
            let (reference, faulty) = try await FaultServer.compare("replay-not-marked") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push([FaultServer.create(1, "a")], key: "k1", token: token)
                let replay = try await server.push([FaultServer.create(1, "a")], key: "k1", token: token)
                return [replay.result?.replayed.description, replay.headers["idempotent-replayed"]]
            }
            #expect(reference == ["true", "true"])
            #expect(faulty == ["false", nil])
        }

        @Test("pull-skips-change: the first change after the cursor is missing from the page (PULL-2)")
        func pullSkipsChange() async throws {
            let (reference, faulty) = try await FaultServer.compare("pull-skips-change") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push((1...3).map { FaultServer.create($0, "r\($0)") }, key: "k1", token: token)
                return try await FaultServer.pull(server, token: token).page?.changes.map(\.record.id) ?? []
            }
            #expect(reference == ["r1", "r2", "r3"])
            #expect(faulty == ["r2", "r3"])
        }

        @Test("ack-ignored: an acknowledged cursor is echoed but not stored (ACK-1)")
        func ackIgnored() async throws {
            let (reference, faulty) = try await FaultServer.compare("ack-ignored") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push([FaultServer.create(1, "a")], key: "k1", token: token)
                let cursor = try #require(try await FaultServer.pull(server, token: token).page?.cursor)
                let ack = try await server.http("POST", "v1/sync/ack", token: token, body: WireCodec.encode(AckRequest(cursor: cursor)))
                let echoed = try JSONDecoder().decode(AckResult.self, from: ack.body).cursor
                let stored = try await server.http("GET", "v1/sync/cursor", token: token)
                return [echoed == cursor, try JSONDecoder().decode(AckResult.self, from: stored.body).cursor == cursor]
            }
            #expect(reference == [true, true])
            #expect(faulty == [true, false])
        }
    }
}
