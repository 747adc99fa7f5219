import Synchronization
public import SyncProtocol

/// A committed change on its way to connected sessions.
public struct ChangeNotice: Sendable, Hashable {
    /// The tenant whose sessions may receive it.
    public var tenant: String
    /// The change as it goes on the wire.
    public var change: Change
    /// The WebSocket session whose push produced it, which gets `push_result` instead.
    public var originSession: String?
    /// The `change` message, encoded once for all the sessions that send it.
    let frame = ChangeFrame()

    /// A notice of `change` for the sessions of `tenant`.
    public init(tenant: String, change: Change, originSession: String?) {
        self.tenant = tenant
        self.change = change
        self.originSession = originSession
    }

    public static func == (lhs: ChangeNotice, rhs: ChangeNotice) -> Bool {
        lhs.tenant == rhs.tenant && lhs.change == rhs.change && lhs.originSession == rhs.originSession
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tenant)
        hasher.combine(change)
        hasher.combine(originSession)
    }

    /// The notice's `change` message as sent on every WebSocket session.
    var encodedMessage: String {
        frame.text { String(decoding: WireCodec.encode(ServerMessage.change(ChangeMessage(change: change))), as: UTF8.self) }
    }
}

/// A change message's encoded text, made by the first session that sends it and shared by the
/// others: a change fanned out to a thousand sessions is encoded once, not a thousand times.
final class ChangeFrame: Sendable {
    private let text = Mutex<String?>(nil)

    func text(encoding: () -> String) -> String {
        text.withLock { cached in
            if let cached { return cached }
            let made = encoding()
            cached = made
            return made
        }
    }
}

/// Fans committed changes out to subscribers (the WebSocket sessions of this node). Publishing
/// never blocks the committing request: each subscriber has its own unbounded buffer, and a slow
/// session only delays itself. Subscribers are kept by tenant, so a publish touches only the
/// sessions of the tenants it names, however many other sessions are open. Beside other nodes,
/// `PeerRelay` feeds it their commits.
public final class ChangeFeed: Sendable {
    private typealias Continuation = AsyncStream<ChangeNotice>.Continuation

    /// One subscription: where its changes go, and the session it feeds, if any.
    private struct Subscriber: Sendable {
        enum Target: Sendable {
            case stream(Continuation)
            case sink(any ChangeSink)
        }

        var session: String?
        var target: Target

        func receive(_ notice: ChangeNotice) {
            switch target {
            case .stream(let continuation): continuation.yield(notice)
            case .sink(let sink): sink.receive(notice)
            }
        }

        func finish() {
            switch target {
            case .stream(let continuation): continuation.finish()
            case .sink(let sink): sink.feedFinished()
            }
        }
    }

    /// Each tenant's subscribers by subscription id; a tenant without any has no entry.
    private let subscribers = Mutex<[String: [Int: Subscriber]]>([:])
    private let nextId = Atomic<Int>(0)

    /// Creates an empty feed.
    public init() {}

    /// A stream of the changes of `tenant` committed from now on, in commit order, for
    /// `session` (which is not sent the changes its own pushes made). The subscription ends when
    /// the stream is dropped or `reset` closes the tenant.
    public func subscribe(tenant: String, session: String? = nil) -> AsyncStream<ChangeNotice> {
        let (stream, continuation) = AsyncStream<ChangeNotice>.makeStream()
        let subscription = add(Subscriber(session: session, target: .stream(continuation)), tenant: tenant)
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(subscription) }
        return stream
    }

    /// Hands the changes of `tenant` committed from now on to `sink`, in commit order, on the
    /// publishing task, except those `session`'s own pushes made; until `unsubscribe`, or until
    /// `finish` closes the tenant (`feedFinished`). A WebSocket session queues them this way
    /// without a task of its own waiting for them.
    package func subscribe(tenant: String, session: String, sink: any ChangeSink) -> ChangeSubscription {
        add(Subscriber(session: session, target: .sink(sink)), tenant: tenant)
    }

    /// Ends a subscription; its sink is not told.
    package func unsubscribe(_ subscription: ChangeSubscription) {
        subscribers.withLock { all in
            all[subscription.tenant]?.removeValue(forKey: subscription.id)
            if all[subscription.tenant]?.isEmpty == true { all.removeValue(forKey: subscription.tenant) }
        }
    }

    private func add(_ subscriber: Subscriber, tenant: String) -> ChangeSubscription {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).newValue
        subscribers.withLock { $0[tenant, default: [:]][id] = subscriber }
        return ChangeSubscription(tenant: tenant, id: id)
    }

    /// Whether any session of `tenant` is subscribed.
    public func hasSubscribers(tenant: String) -> Bool {
        subscribers.withLock { $0[tenant] != nil }
    }

    /// Whether a subscriber of `tenant` other than `session`'s would receive its changes: when
    /// none would (a device alone in its tenant, pushing), the changes need not even be made.
    public func hasSubscribers(tenant: String, besides session: String?) -> Bool {
        subscribers.withLock { all in
            guard let subscribed = all[tenant] else { return false }
            guard let session else { return true }
            return subscribed.values.contains { $0.session != session }
        }
    }

    /// Hands committed changes to every subscriber of their tenant, in the given order, except
    /// to the session whose push made them.
    public func publish(_ notices: [ChangeNotice]) {
        guard !notices.isEmpty else { return }
        let tenants = Set(notices.map(\.tenant))
        let targets = subscribers.withLock { all in tenants.reduce(into: [String: [Subscriber]]()) { $0[$1] = all[$1].map { Array($0.values) } } }
        for notice in notices {
            for subscriber in targets[notice.tenant] ?? [] where subscriber.session == nil || subscriber.session != notice.originSession {
                subscriber.receive(notice)
            }
        }
    }

    /// Ends every subscription of `tenant` (its sessions close; used by test-control reset).
    public func finish(tenant: String) {
        let ended = subscribers.withLock { $0.removeValue(forKey: tenant) } ?? [:]
        for subscriber in ended.values { subscriber.finish() }
    }
}

/// Receives a tenant's committed changes synchronously, on the task that publishes them.
package protocol ChangeSink: AnyObject, Sendable {
    /// A committed change, in commit order; must not block.
    func receive(_ notice: ChangeNotice)
    /// The tenant's feed ended (test control reset it, TEST-3); nothing more comes.
    func feedFinished()
}

/// A sink's subscription to a tenant's changes, to end it with `ChangeFeed.unsubscribe`.
package struct ChangeSubscription: Sendable, Hashable {
    let tenant: String
    let id: Int
}
