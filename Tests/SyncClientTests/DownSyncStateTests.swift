@testable import SyncClient
import SyncProtocol
import Testing

/// Down-sync's decisions without sockets or a store.
@Suite("DownSyncState")
struct DownSyncStateTests {
    private func change(_ position: Int, id: String = "r") -> Change {
        let record = Record(collection: "tasks", id: id, fields: ["n": .int(Int64(position))], version: Int64(position), fieldVersions: [:],
                            updatedAt: 1, clientTime: 1, deleted: false)
        return Change(cursor: "c_\(position)", op: .update, record: record)
    }

    private func page(_ requestId: String, _ changes: [Change], cursor: String, hasMore: Bool) -> ChangesMessage {
        ChangesMessage(requestId: requestId, changes: changes, cursor: cursor, hasMore: hasMore)
    }

    @Test("a session catches up page by page from the stored cursor, then goes live")
    func catchUp() throws {
        var state = DownSyncState()
        guard case .pull(let first, cursor: "c_5") = state.sessionStarted(cursor: "c_5", resync: nil) else {
            Issue.record("expected a pull from the stored cursor")
            return
        }
        let one = page(first, [change(6)], cursor: "c_6", hasMore: true)
        #expect(state.page(one) == .apply([change(6)], cursor: "c_6"))
        guard case .pull(let second, cursor: "c_6") = state.pageStored(one) else {
            Issue.record("expected the next pull")
            return
        }
        let last = page(second, [], cursor: "c_6", hasMore: false)
        #expect(state.page(last) == .apply([], cursor: "c_6"))
        #expect(state.pageStored(last) == .none)
        #expect(state.phase == .live)
        #expect(state.change(change(7)) == .apply([change(7)], cursor: "c_7"))
    }

    @Test("changes that arrive while catching up are applied after the last page, in arrival order")
    func bufferedDuringCatchUp() {
        var state = DownSyncState()
        guard case .pull(let id, _) = state.sessionStarted(cursor: nil, resync: nil) else { return }
        #expect(state.change(change(8)) == .none)
        #expect(state.change(change(9)) == .none)
        let last = page(id, [change(7)], cursor: "c_7", hasMore: false)
        _ = state.page(last)
        #expect(state.pageStored(last) == .apply([change(8), change(9)], cursor: "c_9"))
        #expect(state.buffered.isEmpty)
    }

    @Test("a buffer past its bound is dropped and replaced by one more pull: memory stays bounded")
    func bufferOverflow() {
        var state = DownSyncState(maxBuffered: 3)
        guard case .pull(let id, _) = state.sessionStarted(cursor: nil, resync: nil) else { return }
        for position in 10..<20 { _ = state.change(change(position)) }
        #expect(state.buffered.count <= 3)
        let last = page(id, [], cursor: "c_9", hasMore: false)
        _ = state.page(last)
        guard case .pull(_, cursor: "c_9") = state.pageStored(last) else {
            Issue.record("expected another pull after the overflow")
            return
        }
        #expect(state.phase != .live)
    }

    @Test("a page answering another request is ignored")
    func strayPage() {
        var state = DownSyncState()
        _ = state.sessionStarted(cursor: nil, resync: nil)
        #expect(state.page(page("other", [change(1)], cursor: "c_1", hasMore: false)) == .none)
    }

    @Test("cursor_expired starts a full resync, and too many in a row give up instead of looping")
    func resyncBounded() {
        var state = DownSyncState(maxConsecutiveResyncs: 2)
        var action = state.sessionStarted(cursor: "c_1", resync: nil)
        var resyncs = 0
        for _ in 0..<10 {
            guard case .catchingUp(let id) = state.phase else { break }
            _ = action
            action = state.error(ErrorMessage(code: "cursor_expired", message: "gone", retryable: false, requestId: id)) ?? .none
            if case .resync = action { resyncs += 1 }
            if case .fail = action { break }
        }
        #expect(resyncs == 2)
        guard case .fail = action else {
            Issue.record("expected the resyncs to stop")
            return
        }
    }

    @Test("a resync requested by a 1012 close pulls from the start; a completed catch-up resets the count")
    func resyncAfterReset() {
        var state = DownSyncState(maxConsecutiveResyncs: 1)
        guard case .resync(let id, _) = state.sessionStarted(cursor: "c_4", resync: "reset") else {
            Issue.record("expected a resync")
            return
        }
        let last = page(id, [], cursor: "c_0", hasMore: false)
        _ = state.page(last)
        _ = state.pageStored(last)
        #expect(state.consecutiveResyncs == 0)
        guard case .resync = state.sessionStarted(cursor: nil, resync: "reset again") else {
            Issue.record("expected another resync to be allowed")
            return
        }
    }

    @Test("another pull error reconnects, and errors for other requests are not down-sync's")
    func otherErrors() {
        var state = DownSyncState()
        guard case .pull(let id, _) = state.sessionStarted(cursor: nil, resync: nil) else { return }
        #expect(state.error(ErrorMessage(code: "rate_limited", message: "slow", retryable: true, requestId: "push-1")) == nil)
        guard case .reconnect? = state.error(ErrorMessage(code: "rate_limited", message: "slow", retryable: true, requestId: id)) else {
            Issue.record("expected a reconnect")
            return
        }
    }

    @Test("acknowledgements go one at a time; the newest stored cursor waits")
    func ackOneAtATime() {
        var ack = AckState()
        #expect(ack.stored("c_1") == "c_1")
        ack.sent("c_1", requestId: "ack-1")
        #expect(ack.stored("c_2") == nil)
        #expect(ack.stored("c_3") == nil)
        #expect(ack.isBusy)
        #expect(ack.acknowledged() == "c_3")
        ack.sent("c_3", requestId: "ack-2")
        #expect(ack.acknowledged() == nil)
        #expect(!ack.isBusy)
    }
}
