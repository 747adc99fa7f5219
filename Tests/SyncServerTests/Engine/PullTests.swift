@testable import SyncServer
import SyncProtocol
import Testing

@Suite("pull, cursors, acknowledgement and tenant isolation")
struct PullTests {
    typealias H = EngineHarness
    let phone = H.device("phone")
    let laptop = H.device("laptop")

    @Test("pull pages through the change log in order with has_more")
    func paging() async throws {
        let h = H()
        try await h.push(phone, (1...5).map { H.create($0, "r\($0)", ["n": .int($0)]) })
        var cursor: String?
        var seen: [String] = []
        var pages = 0
        repeat {
            let page = try await h.engine.pull(laptop, cursor: cursor, limit: 2, collections: nil)
            seen += page.changes.map(\.record.id)
            cursor = page.cursor
            pages += 1
            if !page.hasMore { break }
        } while pages < 10
        #expect(seen == ["r1", "r2", "r3", "r4", "r5"] && pages == 3)
        let empty = try await h.engine.pull(laptop, cursor: cursor, limit: 2, collections: nil)
        #expect(empty.changes.isEmpty && !empty.hasMore && empty.cursor == cursor)
    }

    @Test("a collection filter returns only those changes but still advances the cursor")
    func collectionFilter() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1]), H.create(2, "n", ["v": 1], collection: "notes"), H.create(3, "b", ["v": 1])])
        let page = try await h.engine.pull(laptop, cursor: nil, limit: 10, collections: ["notes"])
        #expect(page.changes.map(\.record.id) == ["n"] && !page.hasMore)
        let head = try await h.engine.pull(laptop, cursor: nil, limit: 10, collections: nil).cursor
        #expect(page.cursor == head)
    }

    @Test("invalid, foreign and future cursors are refused with invalid_cursor")
    func invalidCursors() async throws {
        let h = H()
        let result = try await h.push(phone, [H.create(1, "a", ["v": 1])])
        for cursor in ["garbage", "c_0000000000000001", h.engine.cursors.encode(1, tenant: "other"), h.engine.cursors.encode(99, tenant: "acme"),
                       CursorCodec(key: [UInt8](repeating: 8, count: 32)).encode(1, tenant: "acme")] {
            let error = await serviceError { try await h.engine.pull(laptop, cursor: cursor, limit: nil, collections: nil) }
            #expect(error?.code == .invalidCursor, "\(cursor)")
        }
        #expect(try await h.engine.pull(laptop, cursor: result.cursor, limit: nil, collections: nil).changes.isEmpty)
        let badLimit = await serviceError { try await h.engine.pull(laptop, cursor: nil, limit: Limits.maxPullPage + 1, collections: nil) }
        #expect(badLimit?.code == .invalidMessage)
    }

    @Test("an acknowledged cursor is stored per device and offered on the next welcome")
    func acknowledgement() async throws {
        let h = H()
        let first = try await h.hello(laptop)
        #expect(first.resumeCursor == nil && first.lastSeq == 0 && first.deviceId == "laptop")
        try await h.push(phone, [H.create(1, "a", ["v": 1]), H.create(2, "b", ["v": 1])])
        let page = try await h.engine.pull(laptop, cursor: nil, limit: 1, collections: nil)
        #expect(try await h.engine.acknowledge(laptop, cursor: page.cursor).cursor == page.cursor)
        let again = try await h.hello(laptop)
        #expect(again.resumeCursor == page.cursor)
        #expect(try await h.engine.acknowledgedCursor(laptop).cursor == page.cursor)
        #expect(try await h.hello(phone).lastSeq == 2)
        let rest = try await h.engine.pull(laptop, cursor: again.resumeCursor, limit: nil, collections: nil)
        #expect(rest.changes.map(\.record.id) == ["b"])
        let error = await serviceError { try await h.hello(laptop, cursor: "nope") }
        #expect(error?.code == .invalidCursor)
        #expect(try await h.engine.acknowledgedCursor(laptop).cursor == page.cursor, "a refused cursor leaves the stored one")
    }

    @Test("versions are negotiated by major")
    func versions() async throws {
        let h = H()
        #expect(try await h.hello(laptop, version: "1.9.3").protocolVersion == ProtocolInfo.version)
        let error = await serviceError { try await h.hello(laptop, version: "2.0.0") }
        #expect(error?.code == .unsupportedProtocolVersion)
    }

    @Test("another tenant sees nothing, and its things look exactly like missing ones")
    func tenantIsolation() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["secret": "acme"])])
        let intruder = H.device("phone", tenant: "globex")
        let page = try await h.engine.pull(intruder, cursor: nil, limit: nil, collections: nil)
        #expect(page.changes.isEmpty)
        let update = try await h.push(intruder, [H.update(1, "a", base: 1, ["secret": "stolen"])])
        #expect(update.results.first?.status == .rejected && update.results.first?.error == "record_not_found")
        let missing = try await h.push(intruder, [H.update(2, "never", base: 1, ["x": 1])])
        #expect(missing.results.first?.error == update.results.first?.error && missing.results.first?.message == update.results.first?.message)
        #expect(try await h.store.record(tenant: "acme", collection: "tasks", id: "a")?.fields == ["secret": "acme"])
        #expect(try await h.hello(intruder).lastSeq == 2, "sequences are per tenant and device")
        #expect(try await h.hello(phone).lastSeq == 1)
        let foreign = await serviceError { try await h.engine.pull(intruder, cursor: try await h.engine.pull(phone, cursor: nil, limit: nil, collections: nil).cursor, limit: nil, collections: nil) }
        #expect(foreign?.code == .invalidCursor)
    }
}
