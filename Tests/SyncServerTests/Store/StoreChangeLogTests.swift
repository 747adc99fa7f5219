import SyncProtocol
import SyncServer
import Testing

/// The change log: ordered, paged, filtered by collection, positions increasing across tenants
/// and never handed out twice.
@Suite("Store: change log")
struct StoreChangeLogTests {
    /// Appends one change per record in one transaction and returns the entries as they should read back.
    private func append(_ records: [StoredRecord], op: MutationOp = .create, origin: String? = "device-1",
                        to store: any SyncStore) async throws -> [ChangeEntry] {
        try await store.write(tenant: records[0].tenant) { transaction in
            var entries: [ChangeEntry] = []
            for record in records {
                try await transaction.saveRecord(record)
                let position = try await transaction.appendChange(op: op, record: record, originDevice: origin)
                entries.append(ChangeEntry(position: position, op: op, record: record, originDevice: origin))
            }
            return entries
        }
    }

    @Test("Changes come back in position order with op, full record and origin", arguments: StoreFixture.all)
    func order(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            var expected = try await append([Sample.record(id: "a"), Sample.record(id: "b")], to: store)
            expected += try await append([Sample.record(id: "a", version: 2, deleted: true)], op: .delete, origin: nil, to: store)
            expected += try await append([Sample.record(collection: "notes", id: "a", fields: ["n": [1, 2]])], op: .update, to: store)

            #expect(zip(expected, expected.dropFirst()).allSatisfy { $0.position < $1.position })
            let changes = try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: nil)
            #expect(changes == expected)
            #expect(try await store.latestPosition(tenant: "tenant-a") == expected.last?.position)
        }
    }

    @Test("Paging after a position returns every change exactly once", arguments: StoreFixture.all)
    func paging(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let expected = try await append((1...23).map { Sample.record(id: "r\($0)") }, to: store)
            var seen: [ChangeEntry] = []
            var cursor: Int64 = 0
            while true {
                let page = try await store.changes(tenant: "tenant-a", after: cursor, limit: 5, collections: nil)
                #expect(page.count <= 5)
                guard let last = page.last else { break }
                seen += page
                cursor = last.position
            }
            #expect(seen == expected)
            let middle = expected[9].position
            #expect(try await store.changes(tenant: "tenant-a", after: middle, limit: 3, collections: nil) == Array(expected[10..<13]))
            #expect(try await store.changes(tenant: "tenant-a", after: expected.last!.position, limit: 5, collections: nil).isEmpty)
            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 0, collections: nil).isEmpty)
        }
    }

    @Test("A collection filter returns only those collections, in order and paged", arguments: StoreFixture.all)
    func collectionFilter(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let collections = ["tasks", "notes", "tags"]
            let all = try await append((0..<30).map { Sample.record(collection: collections[$0 % 3], id: "r\($0)") }, to: store)
            let wanted = all.filter { $0.record.collection != "tags" }

            let filtered = try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: ["tasks", "notes"])
            #expect(filtered == wanted)

            let firstPage = try await store.changes(tenant: "tenant-a", after: 0, limit: 4, collections: ["tasks", "notes"])
            #expect(firstPage == Array(wanted.prefix(4)))
            let secondPage = try await store.changes(tenant: "tenant-a", after: firstPage.last!.position, limit: 4,
                                                     collections: ["tasks", "notes"])
            #expect(secondPage == Array(wanted[4..<8]))

            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: ["tags"]).count == 10)
            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: ["unknown"]).isEmpty)
            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: []).isEmpty)
        }
    }

    @Test("Positions increase across tenants; each tenant reads only its own", arguments: StoreFixture.all)
    func acrossTenants(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            var positions: [Int64] = []
            var byTenant: [String: [ChangeEntry]] = [:]
            for index in 0..<12 {
                let tenant = index % 3 == 0 ? "tenant-b" : "tenant-a"
                let entries = try await append([Sample.record(tenant: tenant, id: "r\(index)")], to: store)
                positions += entries.map(\.position)
                byTenant[tenant, default: []] += entries
            }
            #expect(positions == positions.sorted() && Set(positions).count == positions.count)
            for (tenant, expected) in byTenant {
                #expect(try await store.changes(tenant: tenant, after: 0, limit: 100, collections: nil) == expected)
                #expect(try await store.latestPosition(tenant: tenant) == expected.last?.position)
            }
            #expect(try await store.latestPosition(tenant: "tenant-c") == 0)
        }
    }

    @Test("A position is never handed out again, even after a reset deletes the latest ones", arguments: StoreFixture.all)
    func neverReused(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            _ = try await append([Sample.record(tenant: "tenant-b", id: "x")], to: store)
            let doomed = try await append((1...3).map { Sample.record(tenant: "tenant-a", id: "r\($0)") }, to: store)
            let highest = doomed.last!.position

            try await store.resetTenant("tenant-a")
            #expect(try await store.latestPosition(tenant: "tenant-a") == 0)

            let afterReset = try await append([Sample.record(tenant: "tenant-a", id: "r1")], to: store)
            let otherTenant = try await append([Sample.record(tenant: "tenant-b", id: "y")], to: store)
            #expect(afterReset[0].position > highest)
            #expect(otherTenant[0].position > afterReset[0].position)
        }
    }

    @Test("A rolled-back change is never visible and later positions still increase", arguments: StoreFixture.all)
    func rolledBack(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let first = try await append([Sample.record(id: "a")], to: store)
            await #expect(throws: TestFailure.self) {
                try await store.write(tenant: "tenant-a") { transaction in
                    _ = try await transaction.appendChange(op: .create, record: Sample.record(id: "b"), originDevice: nil)
                    throw TestFailure()
                }
            }
            let second = try await append([Sample.record(id: "c")], to: store)
            #expect(second[0].position > first[0].position)
            #expect(try await store.changes(tenant: "tenant-a", after: 0, limit: 10, collections: nil) == first + second)
        }
    }
}

/// An error a test throws on purpose.
struct TestFailure: Error, Equatable {}
