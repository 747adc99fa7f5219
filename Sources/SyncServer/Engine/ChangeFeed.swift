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
}

/// Fans committed changes out to subscribers (the WebSocket sessions of this node). Publishing
/// never blocks the committing request: each subscriber has its own unbounded buffer, and a slow
/// session only delays itself. Beside other nodes, `PeerRelay` feeds it their commits.
public final class ChangeFeed: Sendable {
    private struct Subscriber {
        let tenant: String
        let continuation: AsyncStream<ChangeNotice>.Continuation
    }

    private let subscribers = Mutex<[Int: Subscriber]>([:])
    private let nextId = Atomic<Int>(0)

    /// Creates an empty feed.
    public init() {}

    /// A stream of the changes of `tenant` committed from now on, in commit order. The
    /// subscription ends when the stream is dropped or `reset` closes the tenant.
    public func subscribe(tenant: String) -> AsyncStream<ChangeNotice> {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<ChangeNotice>.makeStream()
        subscribers.withLock { $0[id] = Subscriber(tenant: tenant, continuation: continuation) }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Whether any session of `tenant` is subscribed.
    public func hasSubscribers(tenant: String) -> Bool {
        subscribers.withLock { $0.values.contains { $0.tenant == tenant } }
    }

    /// Hands committed changes to every subscriber of their tenant, in the given order.
    public func publish(_ notices: [ChangeNotice]) {
        guard !notices.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for notice in notices {
            for subscriber in targets where subscriber.tenant == notice.tenant {
                subscriber.continuation.yield(notice)
            }
        }
    }

    /// Ends every subscription of `tenant` (its sessions close; used by test-control reset).
    public func finish(tenant: String) {
        let ended = subscribers.withLock { all in
            let ids = all.filter { $0.value.tenant == tenant }.map(\.key)
            return ids.compactMap { all.removeValue(forKey: $0) }
        }
        for subscriber in ended { subscriber.continuation.finish() }
    }
}
