import Foundation
import Synchronization

/// A value stream any number of subscribers can follow: each new subscriber first gets the
/// latest value (when there is one), then every later one. Slow subscribers keep only the newest
/// `bufferSize` values, so a subscriber that stops reading never grows memory.
final class Broadcast<Value: Sendable>: Sendable {
    private struct State {
        var latest: Value?
        var subscribers: [UUID: AsyncStream<Value>.Continuation] = [:]
    }

    private let state: Mutex<State>
    private let bufferSize: Int

    init(initial: Value?, bufferSize: Int = 256) {
        state = Mutex(State(latest: initial))
        self.bufferSize = bufferSize
    }

    /// A new subscription.
    func subscribe() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = UUID()
        state.withLock { state in
            if let latest = state.latest { continuation.yield(latest) }
            state.subscribers[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `value` to every subscriber; `remember` keeps it for later subscribers.
    func send(_ value: Value, remember: Bool = true) {
        let subscribers = state.withLock { state in
            if remember { state.latest = value }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(value) }
    }

    /// Ends every current subscription; later subscribers are served as before.
    func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
