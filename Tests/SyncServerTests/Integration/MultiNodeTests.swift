import SyncTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import SyncProtocol
@testable import SyncServer
import Testing

/// Two `sync-server` processes on one PostgreSQL database and data directory, as two nodes
/// behind a load balancer: real-time delivery across nodes, resuming on the other node after a
/// SIGKILL, and concurrent writers on both nodes read by a puller.
@Suite("several nodes on PostgreSQL")
struct MultiNodeTests {
    /// Two nodes of one deployment, each a `LiveServer`.
    struct Nodes {
        let a: LiveServer
        let b: LiveServer
        let folder: URL
        let databaseURL: String
    }

    /// Starts two nodes on a new database, runs `body`, and stops them and drops the database.
    static func with(_ body: (Nodes) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nodes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.createDatabase()
        defer { try? TestPostgres.dropDatabase(database) }
        let url = try TestPostgres.url(database: database)
        let a = ServerProcess(databasePath: folder.appendingPathComponent("db").path, databaseURL: url)
        try await a.start()
        defer { a.terminate() }
        let b = ServerProcess(databasePath: folder.appendingPathComponent("db").path, databaseURL: url)
        try await b.start()
        defer { b.terminate() }
        let issuer = try await TokenIssuer(hs256Secret: a.secret)
        try await body(Nodes(a: LiveServer(process: a, issuer: issuer), b: LiveServer(process: b, issuer: issuer), folder: folder, databaseURL: url))
    }

    static func mutations(batch: Int, size: Int, prefix: String) -> [Mutation] {
        (0..<size).map { offset in
            let seq = Int64(batch * size + offset + 1)
            return Mutation(seq: seq, collection: "items", recordId: "\(prefix)-\(seq)", op: .create, baseVersion: 0,
                            fields: ["n": .int(seq)], clientTime: 1_700_000_000_000)
        }
    }

    /// One page of at most 9 changes over REST.
    static func pull(_ node: LiveServer, token: String, cursor: String?) async throws -> ChangePage {
        var components = URLComponents(url: node.process.baseURL.appendingPathComponent("v1/sync/pull"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "limit", value: "9")] + (cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [])
        var request = URLRequest(url: components.url!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return try JSONDecoder().decode(ChangePage.self, from: data)
    }

    @Test("a device on node A receives the changes pushed through node B, in order, each within a second")
    func realTimeAcrossNodes() async throws {
        try await Self.with { nodes in
            let (listener, _) = try await nodes.a.socket(tenant: "t", device: "listener")
            defer { Task { await listener.close() } }
            let writer = try await nodes.b.token(tenant: "t", device: "writer")
            var answeredAt: [String: ContinuousClock.Instant] = [:]
            var received: [(id: String, at: ContinuousClock.Instant)] = []
            for batch in 0..<20 {
                let mutations = Self.mutations(batch: batch, size: 3, prefix: "w")
                let push = try await nodes.b.push(mutations, key: "k\(batch)", token: writer)
                #expect(push.status == 200)
                let now = ContinuousClock.now
                for mutation in mutations { answeredAt[mutation.recordId] = now }
                // Read what has arrived so far, without waiting for the batch.
                while let message = try await listener.next(timeout: .milliseconds(batch == 19 ? 1500 : 1)) {
                    if case .change(let change) = message { received.append((change.change.record.id, .now)) }
                    if received.count == 60 { break }
                }
            }
            while received.count < 60, let message = try await listener.next(timeout: .milliseconds(1500)) {
                if case .change(let change) = message { received.append((change.change.record.id, .now)) }
            }
            #expect(received.map(\.id) == (1...60).map { "w-\($0)" })
            let late = received.filter { entry in answeredAt[entry.id].map { entry.at - $0 > .seconds(1) } ?? true }
            #expect(late.isEmpty, "\(late.count) changes arrived more than a second after their push was answered")
        }
    }

    @Test("a device whose node is SIGKILLed resumes on the other node from its acknowledged cursor, missing and repeating nothing")
    func resumeOnTheOtherNode() async throws {
        try await Self.with { nodes in
            let writer = try await nodes.b.token(tenant: "t", device: "writer")
            let (device, _) = try await nodes.a.socket(tenant: "t", device: "phone")
            var seen: [String] = []
            var acked: String?
            for batch in 0..<5 {
                #expect(try await nodes.b.push(Self.mutations(batch: batch, size: 4, prefix: "w"), key: "k\(batch)", token: writer).status == 200)
            }
            while seen.count < 20, let message = try await device.next(timeout: .seconds(2)) {
                guard case .change(let change) = message else { continue }
                seen.append(change.change.record.id)
                if seen.count == 12 {
                    acked = change.change.cursor
                    await device.send(.ack(AckMessage(requestId: "a1", cursor: change.change.cursor)))
                }
            }
            #expect(seen.count == 20)
            while let message = try await device.next(timeout: .seconds(2)) {
                if case .acked = message { break }
            }
            nodes.a.process.kill()
            await device.close()
            for batch in 5..<10 {
                #expect(try await nodes.b.push(Self.mutations(batch: batch, size: 4, prefix: "w"), key: "k\(batch)", token: writer).status == 200)
            }

            // The device forgets what it had not acknowledged and resumes on node B.
            let (resumed, welcome) = try await nodes.b.socket(tenant: "t", device: "phone")
            defer { Task { await resumed.close() } }
            #expect(welcome.resumeCursor == acked)
            var after: [String] = []
            var cursor = welcome.resumeCursor
            var more = true
            var request = 0
            while more {
                request += 1
                await resumed.send(.pull(PullMessage(requestId: "p\(request)", cursor: cursor)))
                var page: ChangesMessage?
                while page == nil, let message = try await resumed.next(timeout: .seconds(5)) {
                    if case .changes(let changes) = message { page = changes }
                }
                let answer = try #require(page)
                after += answer.changes.map(\.record.id)
                cursor = answer.cursor
                more = answer.hasMore
            }
            #expect(after == (13...40).map { "w-\($0)" })
        }
    }

    @Test("a batch whose key another node is committing is refused as in flight at once (IDEM-6), and applies once that node is done")
    func keyInFlightOnAnotherNode() async throws {
        try await Self.with { nodes in
            // A third node, in this process: its group holds the key's claim and the tenant's lock.
            let other = try await PostgresSyncStore.open(url: PostgresURL(parsing: nodes.databaseURL), maximumConnections: 2)
            defer { Task { await other.close() } }
            // A node that waited for the lock would answer only when the watchdog ends the group.
            let holding = await HeldGroup(on: other, tenant: "t", claiming: [StoredIdempotencyKey(tenant: "t", device: "phone", key: "k1")])
            let token = try await nodes.a.token(tenant: "t", device: "phone")
            let batch = Self.mutations(batch: 0, size: 2, prefix: "p")
            for node in [nodes.a, nodes.b] {
                let refused = try await node.http("POST", "v1/sync/push", token: token, body: WireCodec.encode(PushRequest(mutations: batch)),
                                                  headers: ["Idempotency-Key": "k1"])
                #expect(refused.status == 409)
                #expect(String(decoding: refused.body, as: UTF8.self).contains("idempotency_key_in_flight"))
                #expect(refused.headers["retry-after"] != nil)
            }
            #expect(try await holding.commit() == [])
            let applied = try await nodes.b.push(batch, key: "k1", token: token)
            #expect(applied.status == 200)
            #expect(applied.result?.replayed != true)
            #expect(applied.result?.results.map(\.status) == [.applied, .applied])
        }
    }

    /// The tenant's clock as `node` shows it, once `expected` holds (or after a second).
    static func clock(on node: LiveServer, token: String, until expected: (ClockState) -> Bool) async throws -> ClockState? {
        let deadline = ContinuousClock.now + .seconds(1)
        while true {
            let answer = try await node.http("GET", "v1/test/clock", token: token)
            let state = try? JSONDecoder().decode(ClockState.self, from: answer.body)
            if let state, expected(state) { return state }
            if ContinuousClock.now > deadline { return state }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a tenant clock set or advanced through one node shows on the other within a second, and a reset on either clears it (TEST-5)")
    func clockAcrossNodes() async throws {
        try await Self.with { nodes in
            let token = try await nodes.a.token(tenant: "t", device: nil, roles: ["operator"])
            // In the past: a token's expiry is judged on the tenant's clock too.
            let target: Int64 = 1_767_222_000_000
            let set = try await nodes.a.http("POST", "v1/test/clock", token: token, body: Data(#"{"set_ms":\#(target)}"#.utf8))
            #expect(set.status == 200)
            let offset = try JSONDecoder().decode(ClockState.self, from: set.body).offsetMs
            let seen = try await Self.clock(on: nodes.b, token: token) { $0.offsetMs == offset }
            #expect(seen?.offsetMs == offset)
            #expect(seen.map { abs($0.nowMs - target) < 2_000 } == true)

            let advanced = try await nodes.b.http("POST", "v1/test/clock", token: token, body: Data(#"{"advance_ms":60000}"#.utf8))
            #expect(try JSONDecoder().decode(ClockState.self, from: advanced.body).offsetMs == offset + 60_000)
            #expect(try await Self.clock(on: nodes.a, token: token) { $0.offsetMs == offset + 60_000 }?.offsetMs == offset + 60_000)

            #expect(try await nodes.b.http("POST", "v1/test/reset", token: token).status == 200)
            #expect(try await Self.clock(on: nodes.a, token: token) { $0.offsetMs == 0 }?.offsetMs == 0)
        }
    }

    @Test("four writers on two nodes push to one tenant while a reader pulls: every change once, in order, as many as acknowledged")
    func concurrentWritersAndAReader() async throws {
        try await Self.with { nodes in
            let batches = 15
            let size = 4
            let reader = try await nodes.a.token(tenant: "t", device: "reader")
            let finished = FinishedCount()
            var seen: [String] = []
            var applied = 0
            try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<4 {
                    let node = writer % 2 == 0 ? nodes.a : nodes.b
                    let token = try await node.token(tenant: "t", device: "writer-\(writer)")
                    group.addTask {
                        defer { finished.value.add(1, ordering: .sequentiallyConsistent) }
                        var applied = 0
                        for batch in 0..<batches {
                            let push = try await node.push(Self.mutations(batch: batch, size: size, prefix: "w\(writer)"), key: "k\(batch)", token: token)
                            applied += push.result?.results.filter { $0.status == .applied }.count ?? 0
                        }
                        return applied
                    }
                }
                var cursor: String?
                var pulls = 0
                while true {
                    let done = finished.value.load(ordering: .sequentiallyConsistent) == 4
                    pulls += 1
                    let node = pulls % 2 == 0 ? nodes.a : nodes.b
                    let page = try await Self.pull(node, token: reader, cursor: cursor)
                    seen += page.changes.map(\.record.id)
                    cursor = page.cursor
                    if done && page.changes.isEmpty { break }
                }
                for try await count in group { applied += count }
            }
            #expect(applied == 4 * batches * size)
            #expect(seen.count == applied)
            #expect(Set(seen).count == seen.count)
            for writer in 0..<4 {
                #expect(seen.filter { $0.hasPrefix("w\(writer)-") } == (1...(batches * size)).map { "w\(writer)-\($0)" })
            }
        }
    }
}

/// How many writers of a test have finished.
private final class FinishedCount: Sendable {
    let value = Atomic<Int>(0)
}
