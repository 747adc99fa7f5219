import SyncProtocol
import SyncServer
import Testing

/// The review queue and the tenant policies.
@Suite("Store: reviews and policies")
struct StoreOperatorDataTests {
    @Test("Reviews are listed in creation order, by status and paged after an id", arguments: StoreFixture.all)
    func reviews(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            // Ids deliberately out of alphabetical order, and created_at out of order: creation order is insertion order.
            let items = ["rev-e", "rev-a", "rev-d", "rev-b", "rev-c"].enumerated().map { index, id in
                Sample.review(id: id, status: index.isMultiple(of: 2) ? .pending : .resolved, createdAt: Int64(100 - index))
            }
            for item in items {
                try await store.write(tenant: "tenant-a") { try await $0.saveReview(tenant: "tenant-a", item) }
            }
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: nil, limit: 10) == items)
            #expect(try await store.reviews(tenant: "tenant-a", status: .pending, collection: nil, after: nil, limit: 10) == [items[0], items[2], items[4]])
            #expect(try await store.reviews(tenant: "tenant-a", status: .resolved, collection: nil, after: nil, limit: 10) == [items[1], items[3]])

            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: nil, limit: 2) == [items[0], items[1]])
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: "rev-a", limit: 2) == [items[2], items[3]])
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: "rev-c", limit: 2).isEmpty)
            // The cursor item may have another status than the filter.
            #expect(try await store.reviews(tenant: "tenant-a", status: .pending, collection: nil, after: "rev-a", limit: 10) == [items[2], items[4]])
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: "unknown", limit: 10).isEmpty)
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: nil, limit: 0).isEmpty)

            var noteItem = Sample.review(id: "rev-note")
            noteItem.collection = "notes"
            let note = noteItem
            try await store.write(tenant: "tenant-a") { try await $0.saveReview(tenant: "tenant-a", note) }
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: "notes", after: nil, limit: 10) == [note])
            #expect(try await store.reviews(tenant: "tenant-a", status: .pending, collection: "tasks", after: nil, limit: 10) == [items[0], items[2], items[4]])
        }
    }

    @Test("A review reads back by id; replacing it keeps its place in the queue", arguments: StoreFixture.all)
    func reviewReplace(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let first = Sample.review(id: "rev-1"), second = Sample.review(id: "rev-2")
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveReview(tenant: "tenant-a", first)
                try await transaction.saveReview(tenant: "tenant-a", second)
                #expect(try await transaction.review(tenant: "tenant-a", id: "rev-1") == first)
            }
            let resolved = Sample.review(id: "rev-1", status: .resolved)
            try await store.write(tenant: "tenant-a") { try await $0.saveReview(tenant: "tenant-a", resolved) }

            #expect(try await store.write(tenant: "tenant-a") { try await $0.review(tenant: "tenant-a", id: "rev-1") } == resolved)
            #expect(try await store.write(tenant: "tenant-a") { try await $0.review(tenant: "tenant-a", id: "rev-3") } == nil)
            #expect(try await store.review(tenant: "tenant-a", id: "rev-1") == resolved)
            #expect(try await store.review(tenant: "tenant-a", id: "rev-3") == nil)
            #expect(try await store.review(tenant: "tenant-b", id: "rev-1") == nil, "another tenant's review looks missing")
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: nil, limit: 10) == [resolved, second])
            #expect(try await store.reviews(tenant: "tenant-a", status: .pending, collection: nil, after: nil, limit: 10) == [second])
        }
    }

    @Test("Policies are nil until set, then read back as last set", arguments: StoreFixture.all)
    func policies(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            #expect(try await store.policies(tenant: "tenant-a") == nil)
            let policies = Sample.policies()
            try await store.setPolicies(tenant: "tenant-a", policies)
            #expect(try await store.policies(tenant: "tenant-a") == policies)

            let replaced = TenantPolicies(defaultStrategy: .serverWins, collections: [:])
            try await store.setPolicies(tenant: "tenant-a", replaced)
            #expect(try await store.policies(tenant: "tenant-a") == replaced)
        }
    }
}
