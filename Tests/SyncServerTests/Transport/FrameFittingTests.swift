import Foundation
import SyncProtocol
import Testing
@testable import SyncServer

/// Outgoing messages larger than a frame are shortened the ways the spec allows (RES-2,
/// PULL-3), never sent oversize (LIM-1).
@Suite struct FrameFittingTests {
    private static func record(_ id: String, bytes: Int) -> Record {
        Record(collection: "notes", id: id, fields: ["blob": .string(String(repeating: "x", count: bytes))], version: 2,
               fieldVersions: ["blob": 2], updatedAt: 1, clientTime: 1, deleted: false)
    }

    @Test func smallMessagesAreUnchanged() throws {
        let message = ServerMessage.ping(PingMessage(nonce: "n"))
        #expect(FrameFitting.encode(message, maxBytes: 1000) == WireCodec.encode(message))
    }

    @Test func pushResultDropsLargestRecordsFirst() throws {
        let results = [
            MutationResult(seq: 1, collection: "notes", recordId: "a", status: .conflictResolved, version: 2,
                           record: Self.record("a", bytes: 6000), strategy: .serverWins),
            MutationResult(seq: 2, collection: "notes", recordId: "b", status: .conflictResolved, version: 2,
                           record: Self.record("b", bytes: 100), strategy: .serverWins),
        ]
        let message = ServerMessage.pushResult(PushResultMessage(requestId: "r", idempotencyKey: "k", replayed: false,
                                                                 results: results, synced: 2, failed: 0, cursor: "c_1"))
        let data = try #require(FrameFitting.encode(message, maxBytes: 4000))
        #expect(data.count <= 4000)
        guard case .pushResult(let fitted) = try ServerMessage.decode(data) else { Issue.record("not a push_result"); return }
        #expect(fitted.results.count == 2)
        #expect(fitted.results[0].record == nil)
        #expect(fitted.results[1].record?.id == "b")
        #expect(fitted.results.map(\.version) == [2, 2])
    }

    @Test func changesPageIsCutWithCursorAtLastKeptChange() throws {
        let changes = (1...10).map { Change(cursor: "c_\($0)", op: .create, record: Self.record("r\($0)", bytes: 1000)) }
        let message = ServerMessage.changes(ChangesMessage(requestId: "p", changes: changes, cursor: "c_10", hasMore: false))
        let data = try #require(FrameFitting.encode(message, maxBytes: 4500))
        #expect(data.count <= 4500)
        guard case .changes(let page) = try ServerMessage.decode(data) else { Issue.record("not changes"); return }
        #expect(page.changes.count == 3)
        #expect(page.cursor == "c_3")
        #expect(page.hasMore)
        #expect(page.changes.map(\.record.id) == ["r1", "r2", "r3"])
    }

    @Test func nothingFitsWhenNotEvenOneChangeDoes() {
        let changes = [Change(cursor: "c_1", op: .create, record: Self.record("r1", bytes: 5000))]
        let message = ServerMessage.changes(ChangesMessage(requestId: "p", changes: changes, cursor: "c_1", hasMore: false))
        #expect(FrameFitting.encode(message, maxBytes: 1000) == nil)
    }
}
