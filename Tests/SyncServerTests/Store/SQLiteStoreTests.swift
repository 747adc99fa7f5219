import Foundation
import SyncProtocol
@testable import SyncServer
import Testing

/// What only the SQLite store has: its connection settings, versioned migrations, error hygiene
/// and misuse guards.
@Suite("SQLite store")
struct SQLiteStoreTests {
    /// Runs `body` with an opened SQLite store that is not migrated yet; closes and deletes it after.
    private func withStore(_ body: (SQLiteSyncStore) async throws -> Void) async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path)
        do {
            try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    /// A later migration, as a future release would add it.
    private static let addLabels = StoreMigration(version: 2, name: "labels", statements: [
        "CREATE TABLE labels (tenant TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (tenant, name))",
        "CREATE INDEX labels_name ON labels (name)",
    ])

    @Test("Connections use WAL, FULL sync, foreign keys, a busy timeout, and read-only readers")
    func settings() async throws {
        try await withStore { store in
            let settings = try await store.settings()
            #expect(settings.journalMode == "wal")
            #expect(settings.synchronous == 2)
            #expect(settings.foreignKeys)
            #expect(settings.busyTimeoutMilliseconds == 5000)
            #expect(settings.readerQueryOnly)
        }
    }

    @Test("The WAL is checkpointed off the writer, and stays within its limit however much is written")
    func walStaysBounded() async throws {
        try await withStore { store in
            try await store.execute("CREATE TABLE filler (v TEXT NOT NULL)")
            let row = String(repeating: "x", count: 100_000)
            var largest: Int64 = 0
            for _ in 0..<400 {  // about 40 MB in 400 commits, ten times the threshold
                try await store.execute("INSERT INTO filler (v) VALUES (?)", binding: [row])
                let size = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
                largest = max(largest, size)
            }
            let limit = Int64(SQLiteCheckpointer.walPagesLimit) * 4096
            #expect(largest > Int64(SQLiteCheckpointer.walPages) * 4096 / 2, "the WAL should have grown towards the threshold")
            #expect(largest < limit + 2 * 100_000 + 65_536, "the WAL grew to \(largest) bytes")
        }
    }

    @Test("NORMAL sync can be chosen")
    func normalSync() async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path, configuration: .init(synchronous: .normal, readConnections: 1))
        let settings = try await store.settings()
        try await store.close()
        #expect(settings.synchronous == 1)
    }

    @Test("Migrating creates the schema once; migrating again changes nothing")
    func migrateIdempotent() async throws {
        try await withStore { store in
            #expect(try await store.schemaVersion() == 0)
            try await store.migrate()
            #expect(try await store.schemaVersion() == SQLiteSchema.migrations.count)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record()) }
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.schemaVersion() == SQLiteSchema.migrations.count)
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())
        }
    }

    @Test("A database at an older version is upgraded by the new migrations only, keeping its data")
    func upgrade() async throws {
        try await withStore { store in
            try await store.migrate(to: [SQLiteSchema.initial])
            #expect(try await store.schemaVersion() == 1)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record()) }

            try await store.migrate(to: [SQLiteSchema.initial, Self.addLabels])
            #expect(try await store.schemaVersion() == 2)
            try await store.execute("INSERT INTO labels (tenant, name) VALUES (?, ?)", binding: ["tenant-a", "urgent"])
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())

            try await store.migrate(to: [SQLiteSchema.initial, Self.addLabels])
            #expect(try await store.schemaVersion() == 2)
        }
    }

    @Test("Audit rows written before version 4 read back after it, without the details they never had")
    func auditRowsSurviveTheAuditMigration() async throws {
        try await withStore { store in
            try await store.migrate(to: [SQLiteSchema.initial, SQLiteSchema.health, SQLiteSchema.uploads])
            let old = Sample.audit(id: "r1")
            let winner = String(decoding: try JSONEncoder().encode(old.winner), as: UTF8.self)
            try await store.execute("""
                INSERT INTO conflict_audit (tenant, collection, record_id, device, seq, strategy, base_version, server_version,
                                            outcome, winner, mutation, created_at)
                VALUES (?, ?, ?, ?, 7, ?, 1, 2, ?, ?, NULL, 1700000000000)
                """, binding: [old.tenant, old.collection, old.recordId, "device-1", old.strategy.rawValue, old.outcome.rawValue, winner])
            try await store.migrate()
            let new = Sample.audit(id: "r2")
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(new) }
            var expected = old
            expected.mutation = nil
            let entries = try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10)
            #expect(entries.map(\.entry) == [expected, new] && entries[0].id < entries[1].id)
        }
    }

    @Test("A failing migration is rolled back whole and leaves the previous version")
    func failingMigration() async throws {
        try await withStore { store in
            try await store.migrate(to: [SQLiteSchema.initial])
            let broken = StoreMigration(version: 2, name: "broken", statements: [
                "CREATE TABLE half_done (id INTEGER NOT NULL)",
                "CREATE TABLE records (id INTEGER)",
            ])
            let error = await #expect(throws: StoreError.self) {
                try await store.migrate(to: [SQLiteSchema.initial, broken])
            }
            #expect(error?.code == .migrationFailed)
            #expect(try await store.schemaVersion() == 1)
            await #expect(throws: StoreError.self) {
                try await store.execute("INSERT INTO half_done (id) VALUES (1)")
            }
            // Fixed, it applies.
            try await store.migrate(to: [SQLiteSchema.initial, Self.addLabels])
            #expect(try await store.schemaVersion() == 2)
        }
    }

    @Test("A database from a newer server is refused")
    func schemaTooNew() async throws {
        try await withStore { store in
            try await store.migrate(to: [SQLiteSchema.initial, Self.addLabels])
            let error = await #expect(throws: StoreError.self) { try await store.migrate(to: [SQLiteSchema.initial]) }
            #expect(error?.code == .schemaTooNew)
        }
    }

    @Test("resetTenant clears every table that has a tenant column")
    func resetCoversEveryTable() async throws {
        try await withStore { store in
            try await store.migrate()
            #expect(try await store.tablesWithTenantColumn() == Set(StoreSchema.tenantTables))
        }
    }

    @Test("Errors name the operation, never the data")
    func errorsHideData() async throws {
        try await withStore { store in
            try await store.migrate()
            try await store.write(tenant: "tenant-secret") { try await $0.saveRecord(Sample.record(tenant: "tenant-secret", id: "id-secret")) }
            try await store.execute("UPDATE records SET fields = ? WHERE tenant = ?", binding: ["{\"field-secret\": ", "tenant-secret"])

            let corrupt = await #expect(throws: StoreError.self) {
                try await store.record(tenant: "tenant-secret", collection: "tasks", id: "id-secret")
            }
            #expect(corrupt?.code == .corrupt)
            #expect(corrupt.map { "\($0)" } == "store error corrupt in record (unreadable column fields)")

            let constraint = await #expect(throws: StoreError.self) {
                try await store.execute("""
                    INSERT INTO records (tenant, collection, id, fields, version, field_versions, updated_at, client_time, deleted)
                    VALUES (?, 'tasks', ?, '{}', 1, '{}', 0, 0, 0)
                    """, binding: ["tenant-secret", "id-secret"])
            }
            #expect(constraint?.code == .constraint)
            for error in [corrupt, constraint].compactMap(\.self) {
                #expect(!"\(error)".contains("secret"))
                #expect(!String(reflecting: error).contains("secret"))
            }
        }
    }

    @Test("A closed store refuses work; closing twice is harmless")
    func closed() async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path)
        try await store.migrate()
        try await store.close()
        try await store.close()
        let read = await #expect(throws: StoreError.self) { try await store.latestPosition(tenant: "tenant-a") }
        #expect(read?.code == .closed)
        let write = await #expect(throws: StoreError.self) { try await store.write(tenant: "tenant-a") { _ in 1 } }
        #expect(write?.code == .closed)
    }

    @Test("A database that cannot be opened is an I/O error")
    func cannotOpen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)/store.sqlite").path
        let error = await #expect(throws: StoreError.self) { try await SQLiteSyncStore.open(path: path) }
        #expect(error?.code == .io)
    }

    @Test("A nested write fails at once instead of waiting for itself")
    func nestedWrite() async throws {
        try await withStore { store in
            try await store.migrate()
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(Sample.record())
                let error = await #expect(throws: StoreError.self) { try await store.write(tenant: "tenant-a") { _ in 1 } }
                #expect(error?.code == .nestedWrite)
                let acknowledge = await #expect(throws: StoreError.self) {
                    try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 1)
                }
                #expect(acknowledge?.code == .nestedWrite)
            }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())
        }
    }

    @Test("A task started inside a transaction can write once the transaction has ended")
    func taskStartedInsideWrite() async throws {
        try await withStore { store in
            try await store.migrate()
            let later = try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(Sample.record(version: 1))
                return Task {
                    try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record(version: 2)) }
                }
            }
            try await later.value
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1")?.version == 2)
        }
    }

    @Test("A transaction kept past its body cannot write")
    func escapedTransaction() async throws {
        try await withStore { store in
            try await store.migrate()
            let escaped = try await store.write(tenant: "tenant-a") { $0 }
            let error = await #expect(throws: StoreError.self) { try await escaped.saveRecord(Sample.record()) }
            #expect(error?.code == .transactionFinished)
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == nil)
        }
    }
}
