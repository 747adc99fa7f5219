import SyncTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import SyncProtocol
@testable import SyncServer
import Testing

/// The server killed with SIGKILL while clients push: after a restart and the clients' retries,
/// every mutation is applied exactly once and none is lost (IDEM-8, SEQ-2), on SQLite and on
/// PostgreSQL.
@Suite("crash safety")
struct CrashTests {
    static let devices = 4
    static let batchesPerDevice = 30
    static let mutationsPerBatch = 5

    /// What the clients and the killer share: where the server listens (0 while it is down),
    /// how many batches were answered, and each batch's statuses.
    final class CrashRun: Sendable {
        let port = Atomic<Int>(0)
        let completed = Atomic<Int>(0)
        /// Requests that got no answer (the server was down or died under them) and were retried.
        let retries = Atomic<Int>(0)
        let outcomes = Mutex<[String: [MutationStatus]]>([:])
        let server: Mutex<ServerProcess>
        let threshold: Int
        let reached: AsyncStream<Void>
        private let reachedContinuation: AsyncStream<Void>.Continuation

        init(server: ServerProcess, threshold: Int) {
            self.server = Mutex(server)
            self.threshold = threshold
            (reached, reachedContinuation) = AsyncStream<Void>.makeStream()
            port.store(server.port, ordering: .sequentiallyConsistent)
        }

        func record(_ key: String, _ statuses: [MutationStatus]) {
            outcomes.withLock { $0[key] = statuses }
            if completed.add(1, ordering: .sequentiallyConsistent).newValue == threshold { reachedContinuation.yield() }
        }
    }

    @Test("a SIGKILL mid-push loses nothing and applies nothing twice", arguments: ["SQLite", "PostgreSQL"])
    func killDuringPushes(engine: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("sync.sqlite").path
        let postgres = engine == "PostgreSQL" ? try TestPostgres.createDatabase() : nil
        defer { if let postgres { try? TestPostgres.dropDatabase(postgres) } }
        let databaseURL = try postgres.map(TestPostgres.url(database:))
        let first = ServerProcess(databasePath: database, databaseURL: databaseURL)
        try await first.start()
        let issuer = try await TokenIssuer(hs256Secret: first.secret)
        let run = CrashRun(server: first, threshold: Self.devices * Self.batchesPerDevice / 3)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<Self.devices {
                let token = try await issuer.mint(tenant: "crash", user: "u\(index)", device: "d\(index)", ttlSeconds: 3600)
                group.addTask {
                    for batch in 0..<Self.batchesPerDevice {
                        let mutations = (0..<Self.mutationsPerBatch).map { offset -> Mutation in
                            let seq = Int64(batch * Self.mutationsPerBatch + offset + 1)
                            return Mutation(seq: seq, collection: "items", recordId: "d\(index)-\(seq)", op: .create, baseVersion: 0,
                                            fields: ["device": .int(Int64(index)), "seq": .int(seq)], clientTime: 1_700_000_000_000)
                        }
                        let result = try await Self.pushUntilAnswered(mutations, key: "d\(index)-b\(batch)", token: token, run: run)
                        run.record("d\(index)-b\(batch)", result.results.map(\.status))
                    }
                }
            }
            group.addTask {
                // Kill while the other devices' pushes are in flight, once a third has gone through.
                for await _ in run.reached { break }
                run.port.store(0, ordering: .sequentiallyConsistent)
                run.server.withLock { $0.kill() }
                let restarted = ServerProcess(databasePath: database, databaseURL: databaseURL)
                try await restarted.start()
                run.server.withLock { $0 = restarted }
                run.port.store(restarted.port, ordering: .sequentiallyConsistent)
            }
            try await group.waitForAll()
        }
        #expect(run.server.withLock { $0.terminate() } == 0, "the restarted server shuts down cleanly on SIGTERM")

        let store: any SyncStore = if let databaseURL {
            try await PostgresSyncStore.open(url: PostgresURL(parsing: databaseURL))
        } else {
            try await SQLiteSyncStore.open(path: database)
        }
        let total = Self.devices * Self.batchesPerDevice * Self.mutationsPerBatch
        let changes = try await store.changes(tenant: "crash", after: 0, limit: total * 2, collections: nil)
        #expect(changes.count == total, "every mutation entered the change log exactly once")
        #expect(Set(changes.map(\.record.id)).count == total)
        #expect(changes.allSatisfy { $0.record.version == 1 })
        for index in 0..<Self.devices {
            #expect(try await store.deviceState(tenant: "crash", device: "d\(index)").lastSeq == Int64(Self.batchesPerDevice * Self.mutationsPerBatch))
        }
        try await (store as? SQLiteSyncStore)?.close()
        await (store as? PostgresSyncStore)?.close()
        #expect(run.retries.load(ordering: .relaxed) > 0, "the clients saw the crash and retried")
        let statuses = run.outcomes.withLock { $0 }
        #expect(statuses.count == Self.devices * Self.batchesPerDevice)
        // A batch answered after the crash is a replay or duplicates, never a second application.
        #expect(statuses.values.allSatisfy { $0.allSatisfy { $0 == .applied || $0 == .duplicate } })
    }

    /// Pushes over REST until the server answers 200, retrying the same key and payload through
    /// connection failures and restarts, as a client keeping its unanswered batch would.
    static func pushUntilAnswered(_ mutations: [Mutation], key: String, token: String, run: CrashRun) async throws -> PushResult {
        let body = WireCodec.encode(PushRequest(mutations: mutations))
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let port = run.port.load(ordering: .sequentiallyConsistent)
            guard port != 0 else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/sync/push")!)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
            request.timeoutInterval = 10
            if let (data, response) = try? await URLSession.shared.data(for: request),
               (response as? HTTPURLResponse)?.statusCode == 200,
               let result = try? JSONDecoder().decode(PushResult.self, from: data) {
                return result
            }
            run.retries.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CrashTestTimeout(key: key)
    }
}

struct CrashTestTimeout: Error {
    var key: String
}
