import SyncProtocol
import Synchronization
import SyncServer
import Testing

/// The feed skips the session whose push made a change, and tells the engine when nobody else
/// would receive it (so that the changes are not even made into messages).
@Suite struct ChangeFeedTests {
    private func notice(_ id: String, tenant: String = "t", origin: String?) -> ChangeNotice {
        let record = Record(collection: "c", id: id, fields: [:], version: 1, fieldVersions: [:], updatedAt: 1, clientTime: 1, deleted: false)
        return ChangeNotice(tenant: tenant, change: Change(cursor: "k\(id)", op: .create, record: record), originSession: origin)
    }

    @Test("a session is not sent the changes of its own pushes; the others of its tenant are, in order")
    func originSkipped() async {
        let feed = ChangeFeed()
        var pusher = feed.subscribe(tenant: "t", session: "s1").makeAsyncIterator()
        var other = feed.subscribe(tenant: "t", session: "s2").makeAsyncIterator()
        var unnamed = feed.subscribe(tenant: "t").makeAsyncIterator()
        feed.publish([notice("a", origin: "s1"), notice("b", origin: "s1")])
        feed.publish([notice("c", origin: nil), notice("d", origin: "s2")])
        #expect(await other.next()?.change.record.id == "a")
        #expect(await other.next()?.change.record.id == "b")
        #expect(await other.next()?.change.record.id == "c")
        #expect(await pusher.next()?.change.record.id == "c")
        #expect(await pusher.next()?.change.record.id == "d")
        for id in ["a", "b", "c", "d"] { #expect(await unnamed.next()?.change.record.id == id) }
        feed.finish(tenant: "t")
        #expect(await other.next() == nil)
    }

    @Test("whether anyone besides the pushing session would receive a change of its tenant")
    func subscribersBesides() {
        let feed = ChangeFeed()
        #expect(!feed.hasSubscribers(tenant: "t", besides: nil))
        let alone = feed.subscribe(tenant: "t", session: "s1")
        #expect(!feed.hasSubscribers(tenant: "t", besides: "s1"))
        #expect(feed.hasSubscribers(tenant: "t", besides: "s2"))
        #expect(feed.hasSubscribers(tenant: "t", besides: nil))
        #expect(!feed.hasSubscribers(tenant: "u", besides: nil))
        let second = feed.subscribe(tenant: "t", session: "s2")
        #expect(feed.hasSubscribers(tenant: "t", besides: "s1"))
        _ = (alone, second)
    }
}

/// A sink that keeps what it is handed.
private final class RecordingSink: ChangeSink {
    private let state = Mutex<(ids: [String], finished: Bool)>(([], false))

    var ids: [String] { state.withLock { $0.ids } }
    var finished: Bool { state.withLock { $0.finished } }

    func receive(_ notice: ChangeNotice) { state.withLock { $0.ids.append(notice.change.record.id) } }
    func feedFinished() { state.withLock { $0.finished = true } }
}

extension ChangeFeedTests {
    @Test("a sink is handed its tenant's changes in order, on the publishing task, until it unsubscribes or the tenant is reset")
    func sinks() {
        let feed = ChangeFeed()
        let pusher = RecordingSink(), other = RecordingSink(), elsewhere = RecordingSink()
        _ = feed.subscribe(tenant: "t", session: "s1", sink: pusher)
        let subscription = feed.subscribe(tenant: "t", session: "s2", sink: other)
        _ = feed.subscribe(tenant: "u", session: "s3", sink: elsewhere)
        feed.publish([notice("a", origin: "s1"), notice("b", origin: nil), notice("c", origin: "s2")])
        #expect(pusher.ids == ["b", "c"])
        #expect(other.ids == ["a", "b"])
        #expect(elsewhere.ids.isEmpty)
        feed.unsubscribe(subscription)
        #expect(feed.hasSubscribers(tenant: "t", besides: "s1") == false)
        feed.publish([notice("d", origin: nil)])
        #expect(other.ids == ["a", "b"])
        feed.finish(tenant: "t")
        #expect(pusher.finished && !other.finished && !elsewhere.finished)
        #expect(!feed.hasSubscribers(tenant: "t"))
    }
}
