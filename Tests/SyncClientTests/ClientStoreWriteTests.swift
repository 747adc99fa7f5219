import Foundation
import SyncClient
import SyncProtocol
import Testing

@Suite("ClientStore: local writes and the visible record")
struct ClientStoreWriteTests {
    @Test("sequence numbers are gap-free and survive a reopen", arguments: StoreKind.allCases)
    func gapFreeSequenceAcrossReopen(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        var seqs: [Int64] = []
        for index in 0..<3 {
            seqs.append(try await fixture.store.write(collection: "tasks", id: "t\(index)", op: .create, fields: ["n": .int(Int64(index))], clientTime: 10).seq)
        }
        try fixture.reopen()
        // A refused write consumes no sequence number.
        await #expect(throws: ClientStoreError.self) {
            try await fixture.store.write(collection: "Tasks", id: "bad", op: .create, fields: [:], clientTime: 10)
        }
        for index in 3..<5 {
            seqs.append(try await fixture.store.write(collection: "tasks", id: "t\(index)", op: .create, fields: [:], clientTime: 10).seq)
        }
        try fixture.reopen()
        #expect(seqs == [1, 2, 3, 4, 5])
        #expect(try await fixture.store.nextSequenceNumber() == 6)
        #expect(try await fixture.store.pendingCount() == 5)
        let pending = try await fixture.store.pendingMutations(collection: "tasks", id: "t4")
        #expect(pending.map(\.seq) == [5])
    }

    @Test("a write and its outbox entry are stored together, and a refused write leaves nothing", arguments: StoreKind.allCases)
    func writeAndOutboxAtomicity(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let entry = try await store.write(collection: "tasks", id: "a", op: .create, fields: ["title": "x"], clientTime: 42)
        #expect(entry.mutation == Mutation(seq: 1, collection: "tasks", recordId: "a", op: .create, baseVersion: 0, fields: ["title": "x"], clientTime: 42))
        #expect(entry.payload == WireCodec.encode(entry.mutation))
        try fixture.reopen()
        #expect(try await fixture.store.record(collection: "tasks", id: "a")?.fields == ["title": "x"])
        #expect(try await fixture.store.pendingCount() == 1)
        #expect(try await fixture.store.oldestPendingClientTime() == 42)

        let refusals: [(ClientStoreError.Code, () async throws -> OutboxEntry)] = [
            (.invalidCollection, { try await fixture.store.write(collection: "1tasks", id: "a", op: .create, fields: [:], clientTime: 1) }),
            (.invalidRecordId, { try await fixture.store.write(collection: "tasks", id: "a b", op: .create, fields: [:], clientTime: 1) }),
            (.invalidRecordId, { try await fixture.store.write(collection: "tasks", id: String(repeating: "x", count: 129), op: .create, fields: [:], clientTime: 1) }),
            (.invalidFields, { try await fixture.store.write(collection: "tasks", id: "b", op: .create, fields: nil, clientTime: 1) }),
            (.invalidFields, { try await fixture.store.write(collection: "tasks", id: "a", op: .update, fields: [:], clientTime: 1) }),
            (.invalidFields, { try await fixture.store.write(collection: "tasks", id: "a", op: .delete, fields: ["x": 1], clientTime: 1) }),
            (.invalidFields, { try await fixture.store.write(collection: "tasks", id: "b", op: .create, fields: ["x": .double(.nan)], clientTime: 1) }),
            (.recordTooLarge, { try await fixture.store.write(collection: "tasks", id: "b", op: .create, fields: ["x": .string(String(repeating: "a", count: 70_000))], clientTime: 1) }),
            (.recordNotFound, { try await fixture.store.write(collection: "tasks", id: "missing", op: .update, fields: ["x": 1], clientTime: 1) }),
            (.recordExists, { try await fixture.store.write(collection: "tasks", id: "a", op: .create, fields: [:], clientTime: 1) }),
            (.invalidValue, { try await fixture.store.write(collection: "tasks", id: "b", op: .create, fields: [:], clientTime: -1) }),
        ]
        for (code, attempt) in refusals {
            do {
                _ = try await attempt()
                Issue.record("expected \(code)")
            } catch let error as ClientStoreError {
                #expect(error.code == code)
            }
        }
        #expect(try await fixture.store.pendingCount() == 1)
        #expect(try await fixture.store.nextSequenceNumber() == 2)
    }

    @Test("the visible record is the server layer with pending mutations on top", arguments: StoreKind.allCases)
    func visibleOverlay(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let server = Wire.record("a", version: 3, fields: ["title": "old", "done": false])
        #expect(try await store.applyChanges([Wire.change(server, cursor: "c_3")], cursor: "c_3").count == 1)

        let first = try await store.write(collection: "tasks", id: "a", op: .update, fields: ["done": true], clientTime: 5)
        let second = try await store.write(collection: "tasks", id: "a", op: .update, fields: ["title": "new"], clientTime: 6)
        // Each base version names the server state the previous pending mutation will produce.
        #expect(first.mutation.baseVersion == 3)
        #expect(second.mutation.baseVersion == 4)
        let visible = try #require(try await store.record(collection: "tasks", id: "a"))
        #expect(visible.fields == ["title": "new", "done": true])
        #expect(visible.serverVersion == 3)
        #expect(visible.pendingMutations == 2)
        #expect(visible.serverRecord == server)

        // A record that exists only locally, then an update of it based on its pending create.
        _ = try await store.write(collection: "tasks", id: "b", op: .create, fields: ["title": "local"], clientTime: 7)
        let update = try await store.write(collection: "tasks", id: "b", op: .update, fields: ["title": "local 2"], clientTime: 8)
        #expect(update.mutation.baseVersion == 1)
        #expect(try await store.records(collection: "tasks").map(\.key.id) == ["a", "b"])
        #expect(try await store.record(collection: "tasks", id: "b")?.serverVersion == 0)

        // Delete = tombstone: invisible, and updates of it are refused.
        _ = try await store.write(collection: "tasks", id: "a", op: .delete, fields: nil, clientTime: 9)
        #expect(try await store.record(collection: "tasks", id: "a") == nil)
        #expect(try await store.records(collection: "tasks").map(\.key.id) == ["b"])
        await #expect(throws: ClientStoreError.self) {
            try await store.write(collection: "tasks", id: "a", op: .update, fields: ["x": 1], clientTime: 10)
        }
        // Create over the local tombstone revives it.
        let revive = try await store.write(collection: "tasks", id: "a", op: .create, fields: ["title": "again"], clientTime: 11)
        #expect(revive.mutation.baseVersion == 0)
        #expect(try await store.record(collection: "tasks", id: "a")?.fields == ["title": "again"])
    }

    @Test("concurrent writes still get gap-free sequence numbers", arguments: StoreKind.allCases)
    func concurrentWrites(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let seqs = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<50 {
                group.addTask { try await store.write(collection: "tasks", id: "c\(index)", op: .create, fields: [:], clientTime: 1).seq }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(seqs.sorted() == Array(1...50))
    }

    @Test("the SQLite store runs in WAL mode")
    func writeAheadLog() async throws {
        let fixture = try StoreFixture(.sqlite)
        defer { fixture.cleanUp() }
        _ = try await fixture.store.write(collection: "tasks", id: "a", op: .create, fields: [:], clientTime: 1)
        let path = try #require(fixture.databasePath)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
