import SyncProtocol
import SyncServer
import Testing

/// The conflict audit log (CONF-13): append order, stable ascending ids, paging after an id,
/// filters, every field read back, and tenant isolation.
@Suite("Store: audit log")
struct StoreAuditLogTests {
    @Test("Entries read back in append order with ascending ids, up to the limit", arguments: StoreFixture.all)
    func appendOrder(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let entries = [
                Sample.audit(id: "r1", createdAt: 3),
                Sample.audit(id: "r2", device: nil, seq: nil, createdAt: 1),
                Sample.audit(id: "r3", createdAt: 2),
            ]
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(entries[0]) }
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.appendAudit(entries[1])
                try await transaction.appendAudit(entries[2])
            }
            let all = try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10)
            #expect(all.map(\.entry) == entries)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.id < $1.id } && (all.first?.id ?? 0) >= 1)
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 2) == Array(all.prefix(2)))
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 0).isEmpty)
            // Paging after an id gives the rest; ids stay the same when read again.
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: all[0].id, limit: 10) == Array(all.dropFirst()))
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: all[2].id, limit: 10).isEmpty)
        }
    }

    @Test("A thrown transaction leaves no entry, and ids are never reused", arguments: StoreFixture.all)
    func rollback(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(Sample.audit(id: "r1")) }
            await #expect(throws: StoreFailure.self) {
                try await store.write(tenant: "tenant-a") { transaction in
                    try await transaction.appendAudit(Sample.audit(id: "lost"))
                    throw StoreFailure()
                }
            }
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(Sample.audit(id: "r2")) }
            let all = try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10)
            #expect(all.map(\.entry.recordId) == ["r1", "r2"] && all[0].id < all[1].id)
        }
    }

    @Test("Filters by collection and record id, alone and together, with paging", arguments: StoreFixture.all)
    func filters(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let entries = [
                Sample.audit(collection: "tasks", id: "r1"), Sample.audit(collection: "notes", id: "r1"),
                Sample.audit(collection: "tasks", id: "r2"), Sample.audit(collection: "tasks", id: "r1"),
            ]
            for entry in entries { try await store.write(tenant: "tenant-a") { try await $0.appendAudit(entry) } }
            func read(_ collection: String?, _ recordId: String?, after: Int64 = 0) async throws -> [ConflictAuditEntry] {
                try await store.auditLog(tenant: "tenant-a", collection: collection, recordId: recordId, after: after, limit: 10).map(\.entry)
            }
            #expect(try await read("tasks", nil) == [entries[0], entries[2], entries[3]])
            #expect(try await read(nil, "r1") == [entries[0], entries[1], entries[3]])
            #expect(try await read("tasks", "r1") == [entries[0], entries[3]])
            #expect(try await read("other", nil).isEmpty)
            let first = try await store.auditLog(tenant: "tenant-a", collection: "tasks", recordId: "r1", after: 0, limit: 1)
            #expect(first.map(\.entry) == [entries[0]])
            #expect(try await read("tasks", "r1", after: first[0].id) == [entries[3]])
        }
    }

    @Test("Resolution details and the resulting version read back as written", arguments: StoreFixture.all)
    func resolutionFields(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            var resolution = Sample.audit(id: "r1", device: nil, seq: nil)
            resolution.strategy = .manual
            resolution.resultingVersion = 3
            resolution.serverRecord = Sample.record(id: "r1", version: 2).wire
            resolution.reviewId = "rv_1"
            resolution.operator = "ops-ana"
            resolution.choice = .takeClient
            var queued = Sample.audit(id: "r1")
            queued.strategy = .manual
            queued.outcome = .queuedForReview
            queued.reviewId = "rv_1"
            let written = [queued, resolution]
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(written[0]) }
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(written[1]) }
            let all = try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10)
            #expect(all.map(\.entry) == written)
        }
    }

    @Test("Another tenant's entries are invisible, whatever the filters or position", arguments: StoreFixture.all)
    func tenants(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.appendAudit(Sample.audit(tenant: "tenant-a", id: "r1")) }
            try await store.write(tenant: "tenant-b") { try await $0.appendAudit(Sample.audit(tenant: "tenant-b", id: "r1")) }
            let a = try await store.auditLog(tenant: "tenant-a", collection: "tasks", recordId: "r1", after: 0, limit: 10)
            let b = try await store.auditLog(tenant: "tenant-b", collection: nil, recordId: nil, after: 0, limit: 10)
            #expect(a.map(\.entry.tenant) == ["tenant-a"] && b.map(\.entry.tenant) == ["tenant-b"])
            #expect(a[0].id != b[0].id)
            try await store.resetTenant("tenant-a")
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10).isEmpty)
            #expect(try await store.auditLog(tenant: "tenant-b", collection: nil, recordId: nil, after: 0, limit: 10) == b)
        }
    }
}
