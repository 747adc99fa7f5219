import SyncProtocol
import SyncServer
import Testing

/// Records: what is saved reads back exactly, tombstones included.
@Suite("Store: records")
struct StoreRecordTests {
    @Test("A record round-trips: nested JSON, unicode, large numbers", arguments: StoreFixture.all)
    func roundTrip(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let fields: JSONObject = [
                "title": "Ünïcödé ✓ 日本語 עברית 👩🏽‍🚀 e\u{301}",
                "quotes": "\"double\" 'single' \\ back/slash\nnew line\ttab \u{0} nul",
                "max": .int(Int64.max),
                "min": .int(Int64.min),
                "beyondDouble": .int(9_007_199_254_740_993),
                "fraction": 0.1,
                "huge": 1.5e300,
                "negative": -0.001,
                "flag": true,
                "nothing": nil,
                "emptyObject": [:],
                "emptyArray": [],
                "nested": ["list": [1, "two", ["three": [3.5, false, nil]]], "deep": ["a": ["b": ["c": "d"]]]],
                "clé.with.dots 🔑": "key with unicode",
            ]
            var built = Sample.record(fields: fields, version: 7)
            built.fieldVersions = ["title": 7, "quotes": 3, "max": 1]
            let record = built
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(record) }

            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == record)
            let inTransaction = try await store.write(tenant: "tenant-a") { try await $0.record(tenant: "tenant-a", collection: "tasks", id: "r1") }
            #expect(inTransaction == record)
        }
    }

    @Test("A record that was never saved is nil", arguments: StoreFixture.all)
    func missing(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record()) }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "other") == nil)
            #expect(try await store.record(tenant: "tenant-a", collection: "notes", id: "r1") == nil)
            let inTransaction = try await store.write(tenant: "tenant-a") { try await $0.record(tenant: "tenant-a", collection: "tasks", id: "nope") }
            #expect(inTransaction == nil)
        }
    }

    @Test("Saving again replaces every column, including clearing last_device", arguments: StoreFixture.all)
    func replace(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record(fields: ["a": 1, "b": 2], version: 1)) }
            let second = Sample.record(fields: ["a": 10], version: 2, lastDevice: nil)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(second) }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == second)
        }
    }

    @Test("A tombstone keeps its version and reads back deleted; a revival replaces it", arguments: StoreFixture.all)
    func tombstone(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record(version: 1)) }
            let tombstone = Sample.record(version: 2, deleted: true)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(tombstone) }

            let read = try #require(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1"))
            #expect(read == tombstone)
            #expect(read.deleted && read.fields.isEmpty && read.fieldVersions.isEmpty && read.version == 2)

            let revived = Sample.record(fields: ["title": "again"], version: 3)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(revived) }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == revived)
        }
    }

    @Test("Inside a transaction its own writes are visible; outside, only after commit", arguments: StoreFixture.all)
    func readCommitted(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(Sample.record())
                #expect(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r1") != nil)
                #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == nil)
                #expect(try await store.latestPosition(tenant: "tenant-a") == 0)
                _ = try await transaction.appendChange(op: .create, record: Sample.record(), originDevice: "device-1")
                #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 10, collections: nil).isEmpty)
            }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == Sample.record())
            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 10, collections: nil).count == 1)
        }
    }
}
