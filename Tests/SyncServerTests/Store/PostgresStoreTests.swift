import Foundation
import Synchronization
import SyncProtocol
import SyncServer
import SyncTestSupport
import Testing

/// What only the PostgreSQL store has: migrations shared by several processes, error hygiene,
/// misuse guards, and the per-tenant locking that lets several store instances (nodes) write one
/// database while a pull never skips or repeats a change.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    /// Runs `body` with a new database; drops it afterwards.
    func withDatabase(_ body: (PostgresURL) async throws -> Void) async throws {
        let database = try TestPostgres.createDatabase()
        do {
            try await body(PostgresURL(parsing: TestPostgres.url(database: database)))
        } catch {
            try? TestPostgres.dropDatabase(database)
            throw error
        }
        try TestPostgres.dropDatabase(database)
    }

    /// Runs `body` with a store opened on `url`, closing it afterwards.
    func withStore(_ url: PostgresURL, migrated: Bool = true, _ body: (PostgresSyncStore) async throws -> Void) async throws {
        let store = try await PostgresSyncStore.open(url: url, maximumConnections: 8)
        do {
            if migrated { try await store.migrate() }
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test("Migrating creates the schema once, also when two stores migrate at the same time")
    func migrateConcurrently() async throws {
        try await withDatabase { url in
            try await withStore(url, migrated: false) { first in
                try await withStore(url, migrated: false) { second in
                    #expect(try await first.schemaVersion() == 0)
                    async let a: Void = first.migrate()
                    async let b: Void = second.migrate()
                    _ = try await (a, b)
                    #expect(try await first.schemaVersion() == PostgresSchema.migrations.count)
                    try await first.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record()) }
                    try await second.migrate()
                    #expect(try await second.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())
                }
            }
        }
    }

    @Test("A database from a newer server is refused")
    func schemaTooNew() async throws {
        try await withDatabase { url in
            try await withStore(url, migrated: false) { store in
                let later = StoreMigration(version: PostgresSchema.migrations.count + 1, name: "labels", statements: ["CREATE TABLE labels (name TEXT PRIMARY KEY)"])
                try await store.migrate(to: PostgresSchema.migrations + [later])
                let error = await #expect(throws: StoreError.self) { try await store.migrate() }
                #expect(error?.code == .schemaTooNew)
            }
        }
    }

    @Test("resetTenant clears every table that has a tenant column")
    func resetCoversEveryTable() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                let tables = try await store.tablesWithTenantColumn()
                #expect(tables == Set(StoreSchema.tenantTables))
            }
        }
    }

    @Test("Errors name the operation, never the data")
    func errorsHideData() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                try await store.write(tenant: "tenant-secret") { try await $0.saveRecord(Sample.record(tenant: "tenant-secret", id: "id-secret")) }
                try await store.execute("UPDATE records SET fields = ? WHERE tenant = ?", binding: ["{\"field-secret\": ", "tenant-secret"])
                let corrupt = await #expect(throws: StoreError.self) {
                    try await store.record(tenant: "tenant-secret", collection: "tasks", id: "id-secret")
                }
                #expect(corrupt?.code == .corrupt)
                let constraint = await #expect(throws: StoreError.self) {
                    try await store.execute("""
                        INSERT INTO records (tenant, collection, id, fields, version, field_versions, updated_at, client_time, deleted)
                        VALUES (?, 'tasks', ?, '{}', 1, '{}', 0, 0, 0)
                        """, binding: ["tenant-secret", "id-secret"])
                }
                #expect(constraint?.code == .constraint)
                #expect(constraint.map { "\($0)" } == "store error constraint in execute (SQLSTATE 23505)")
                for error in [corrupt, constraint].compactMap(\.self) {
                    #expect(!"\(error)".contains("secret"))
                    #expect(!String(reflecting: error).contains("secret"))
                }
            }
        }
    }

    @Test("A closed store refuses work; closing twice is harmless")
    func closed() async throws {
        try await withDatabase { url in
            let store = try await PostgresSyncStore.open(url: url)
            try await store.migrate()
            await store.close()
            await store.close()
            let read = await #expect(throws: StoreError.self) { try await store.latestPosition(tenant: "tenant-a") }
            #expect(read?.code == .closed)
            let write = await #expect(throws: StoreError.self) { try await store.write(tenant: "tenant-a") { _ in 1 } }
            #expect(write?.code == .closed)
        }
    }

    @Test("A database nobody answers for fails to open within seconds, as unavailable")
    func unreachable() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            try await PostgresSyncStore.open(url: PostgresURL(host: "127.0.0.1", port: 1, user: "postgres", database: "x", tls: .disable))
        }
        #expect(error?.code == .unavailable)
        #expect(error?.isRetryable == true)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test("A nested write fails at once instead of waiting for its own tenant lock; an escaped transaction cannot write")
    func misuse() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                try await store.write(tenant: "tenant-a") { transaction in
                    try await transaction.saveRecord(Sample.record())
                    let error = await #expect(throws: StoreError.self) { try await store.write(tenant: "tenant-a") { _ in 1 } }
                    #expect(error?.code == .nestedWrite)
                }
                let escaped = try await store.write(tenant: "tenant-a") { $0 }
                let error = await #expect(throws: StoreError.self) { try await escaped.saveRecord(Sample.record(version: 2)) }
                #expect(error?.code == .transactionFinished)
                #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())
            }
        }
    }

    @Test("A write whose caller is cancelled still ends its transaction: the tenant's lock and the connection are free afterwards")
    func cancelledCaller() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                for round in 0..<12 {
                    let write = Task {
                        try await store.write(tenant: "tenant-a") { transaction in
                            try await transaction.saveRecord(Sample.record(id: "slow-\(round)"))
                            try await Task.sleep(for: .milliseconds(40))
                            try await transaction.saveRecord(Sample.record(id: "slow-\(round)", version: 2))
                        }
                    }
                    try await Task.sleep(for: .milliseconds(10))
                    write.cancel()
                    _ = await write.result
                }
                // More rounds than the pool's 8 connections: none was left inside a transaction.
                let started = ContinuousClock.now
                try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record(id: "after")) }
                #expect(ContinuousClock.now - started < .seconds(5))
                #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "slow-11")?.version == 2)
            }
        }
    }

    @Test("Another node's commits arrive as events; a reader too far behind gets resumed after what it lost")
    func peerEventsOverflow() async throws {
        try await withDatabase { url in
            try await withStore(url) { writer in
                try await withStore(url) { listener in
                    var events = listener.peerEvents(buffer: 3).makeAsyncIterator()
                    #expect(await events.next() == .resumed)  // listening started
                    let record = Sample.record(tenant: "tenant-a")
                    var positions: [Int64] = []
                    for _ in 0..<10 {
                        positions.append(try await writer.write(tenant: "tenant-a") {
                            try await $0.appendChange(op: .create, record: record, originDevice: nil)
                        })
                    }
                    // Nobody reads while the ten notifications arrive; the buffer keeps three.
                    try await Task.sleep(for: .milliseconds(500))
                    var kept: [PeerEvent] = []
                    while kept.count < 3, let event = await events.next() { kept.append(event) }
                    #expect(kept.contains(.resumed))
                    #expect(kept.last == .resumed || kept.last == .changes(tenant: "tenant-a", first: positions[9], last: positions[9]))
                }
            }
        }
    }

    @Test("Another tenant's transaction runs while one tenant's is open")
    func tenantsDoNotWait() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                let (opened, signal) = AsyncStream<Void>.makeStream()
                let (finish, release) = AsyncStream<Void>.makeStream()
                async let slow: Void = store.write(tenant: "tenant-a") { transaction in
                    try await transaction.saveRecord(Sample.record(tenant: "tenant-a"))
                    signal.finish()
                    for await _ in finish {}
                }
                for await _ in opened {}
                try await store.write(tenant: "tenant-b") { try await $0.saveRecord(Sample.record(tenant: "tenant-b")) }
                #expect(try await store.record(tenant: "tenant-b", collection: "tasks", id: "r1") != nil)
                #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == nil)
                release.finish()
                try await slow
                #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") != nil)
            }
        }
    }

    @Test("Two nodes, four writers, one tenant: a reader pulling meanwhile sees every change once, in position order (write transactions, and groups that take positions with their locks)",
          arguments: [false, true])
    func pullNeverSkips(grouped: Bool) async throws {
        try await withDatabase { url in
            try await withStore(url) { nodeA in
                try await withStore(url) { nodeB in
                    let writers = 4
                    let perWriter = 40
                    let done = FinishedWriters()
                    var seen: [Int64] = []
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for writer in 0..<writers {
                            let node = writer % 2 == 0 ? nodeA : nodeB
                            group.addTask {
                                defer { done.count.add(1, ordering: .sequentiallyConsistent) }
                                for index in 0..<perWriter {
                                    let write: @Sendable (any SyncWriteTransaction) async throws -> Void = { transaction in
                                        let record = Sample.record(id: "w\(writer)-\(index)")
                                        try await transaction.saveRecord(record)
                                        _ = try await transaction.appendChange(op: .create, record: record, originDevice: nil)
                                        // Stay open after taking a position, so that a commit out of
                                        // position order would show.
                                        try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
                                    }
                                    if grouped {
                                        try await node.writeGroup(tenants: ["tenant-a"]) { group in
                                            var budget = WritePrefetch()
                                            budget.changeBudget = 1
                                            try await group.prefetch(budget)
                                            try await group.unit(tenant: "tenant-a", write)
                                        }
                                    } else {
                                        try await node.write(tenant: "tenant-a", write)
                                    }
                                }
                            }
                        }
                        var cursor: Int64 = 0
                        while true {
                            let finished = done.count.load(ordering: .sequentiallyConsistent) == writers
                            let page = try await (seen.count % 2 == 0 ? nodeA : nodeB)
                                .changes(tenant: "tenant-a", after: cursor, limit: 7, collections: nil)
                            seen += page.map(\.position)
                            cursor = page.last?.position ?? cursor
                            if finished && page.isEmpty { break }
                        }
                        try await group.waitForAll()
                    }
                    #expect(seen.count == writers * perWriter)
                    #expect(seen == seen.sorted() && Set(seen).count == seen.count)
                    let all = try await nodeA.changes(tenant: "tenant-a", after: 0, limit: 1000, collections: nil).map(\.position)
                    #expect(all == seen)
                }
            }
        }
    }
}

/// How many writers of a concurrency test have finished.
private final class FinishedWriters: Sendable {
    let count = Atomic<Int>(0)
}
