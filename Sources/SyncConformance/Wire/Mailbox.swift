import Foundation
import Synchronization

/// A queue filled by a network handler and drained by the runner with a deadline, so no wait is
/// ever unbounded. Finishing it wakes the reader; items queued before stay readable.
final class Mailbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var finished = false
        var waiter: (id: Int, continuation: CheckedContinuation<Element?, Never>)?
        var nextWaiter = 0
        /// Reads that timed out or were cancelled before they started waiting.
        var expired: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Adds an item, waking a waiting reader.
    func push(_ item: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.items.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// No more items will come.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    /// Whether `finish` was called and every item was read.
    var isDrained: Bool { state.withLock { $0.finished && $0.items.isEmpty } }

    /// The next item, or `nil` when the mailbox is finished and empty, `deadline` passes first, or
    /// the task is cancelled.
    func next(before deadline: ContinuousClock.Instant) async -> Element? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task {
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
                self.expire(id)
            } catch {
                // Cancelled: the read finished first.
            }
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: Element?? = state.withLock { state in
                    if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                    if state.finished || ContinuousClock.now >= deadline || state.expired.remove(id) != nil { return .some(nil) }
                    state.waiter = (id, continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.expire(id)
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expired.insert(id)
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: nil)
    }
}
