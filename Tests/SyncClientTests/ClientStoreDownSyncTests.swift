import Foundation
import SyncClient
import SyncProtocol
import Testing

@Suite("ClientStore: changes from the server")
struct ClientStoreDownSyncTests {
    @Test("a change for a record with a pending edit keeps the edit", arguments: StoreKind.allCases)
    func changeKeepsPendingEdit(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.applyChanges([Wire.change(Wire.record("a", version: 1, fields: ["title": "t", "status": "open"]), op: .create, cursor: "c_1")], cursor: "c_1")
        _ = try await store.write(collection: "tasks", id: "a", op: .update, fields: ["status": "done"], clientTime: 5)

        let other = Wire.record("a", version: 2, fields: ["title": "renamed", "status": "open"])
        #expect(try await store.applyChanges([Wire.change(other, cursor: "c_2")], cursor: "c_2").count == 1)
        let visible = try #require(try await store.record(collection: "tasks", id: "a"))
        #expect(visible.fields == ["title": "renamed", "status": "done"])
        #expect(visible.serverVersion == 2)
        #expect(try await store.pendingCount() == 1)
        // The pending mutation keeps the base it was written against: the server judges the conflict.
        #expect(try await store.pendingMutations(collection: "tasks", id: "a").first?.mutation.baseVersion == 1)
    }

    @Test("a change delivered twice, or older than the stored state, is a no-op", arguments: StoreKind.allCases)
    func duplicateChangeIsNoOp(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let v2 = Wire.change(Wire.record("a", version: 2, fields: ["n": 2]), cursor: "c_2")
        let v1 = Wire.change(Wire.record("a", version: 1, fields: ["n": 1]), cursor: "c_1")
        #expect(try await store.applyChanges([v2], cursor: "c_2").count == 1)
        #expect(try await store.applyChanges([v2, v1], cursor: "c_2").count == 0)
        #expect(try await store.record(collection: "tasks", id: "a")?.fields == ["n": 2])
        // A tombstone hides the record.
        let gone = Wire.change(Wire.record("a", version: 3, fields: [:], deleted: true), op: .delete, cursor: "c_3")
        #expect(try await store.applyChanges([gone], cursor: "c_3").count == 1)
        #expect(try await store.record(collection: "tasks", id: "a") == nil)
        #expect(try await store.records(collection: "tasks").isEmpty)
    }

    @Test("cursors: stored with the changes, acknowledged separately, resume from the stored one", arguments: StoreKind.allCases)
    func cursors(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        #expect(try await fixture.store.cursors() == DownSyncCursors(stored: nil, acknowledged: nil))
        _ = try await fixture.store.applyChanges([Wire.change(Wire.record("a", version: 1, fields: [:]), cursor: "c_1")], cursor: "c_1")
        try await fixture.store.markAcknowledged(cursor: "c_1")
        _ = try await fixture.store.applyChanges([], cursor: "c_5")
        try fixture.reopen()
        let cursors = try await fixture.store.cursors()
        #expect(cursors == DownSyncCursors(stored: "c_5", acknowledged: "c_1"))
        #expect(cursors.resume == "c_5")
        #expect(cursors.needsAcknowledgement)
        await #expect(throws: ClientStoreError.self) {
            try await fixture.store.applyChanges([], cursor: String(repeating: "c", count: 257))
        }
    }

    @Test("a full resync forgets the server layer and cursors but keeps the outbox", arguments: StoreKind.allCases)
    func resetKeepsOutbox(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.applyChanges([Wire.change(Wire.record("a", version: 1, fields: ["n": 1]), cursor: "c_1")], cursor: "c_1")
        _ = try await store.write(collection: "tasks", id: "b", op: .create, fields: ["n": 2], clientTime: 1)
        let batch = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 100_000))
        try await store.resetServerLayer()
        #expect(try await store.record(collection: "tasks", id: "a") == nil)
        #expect(try await store.record(collection: "tasks", id: "b")?.fields == ["n": 2])
        #expect(try await store.cursors().resume == nil)
        #expect(try await store.nextBatch(maxMutations: 10, maxBytes: 100_000) == batch)
    }

    @Test("upload sessions are kept and updated", arguments: StoreKind.allCases)
    func uploadSessions(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        var session = UploadSessionRecord(localId: "u1", filePath: "/tmp/photo.jpg", size: 10, sha256: String(repeating: "a", count: 64))
        try await fixture.store.saveUploadSession(session)
        session.uploadId = "up_1"
        session.chunkSize = 65_536
        session.chunkCount = 1
        session.state = .uploading
        try await fixture.store.saveUploadSession(session)
        try await fixture.store.saveUploadSession(UploadSessionRecord(localId: "u0", filePath: "/tmp/a", size: 1, sha256: "b"))
        try fixture.reopen()
        #expect(try await fixture.store.uploadSession(localId: "u1") == session)
        #expect(try await fixture.store.uploadSessions().map(\.localId) == ["u0", "u1"])
        try await fixture.store.deleteUploadSession(localId: "u1")
        #expect(try await fixture.store.uploadSession(localId: "u1") == nil)
    }
}
