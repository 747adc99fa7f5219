import Synchronization

/// Wakes the connection task early from a reconnect delay or a halt: `signal()` wakes every
/// current `wait()`, or, when nobody waits, the next one (a single remembered signal, so a
/// burst of signals wakes once, never a reconnect per signal). Cancelling a waiter resumes it.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextId: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Wakes the waiters, or remembers one signal for the next `wait()`.
    func signal() {
        let waiters = state.withLock { state in
            if state.waiters.isEmpty { state.pending = true }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Forgets a remembered signal.
    func clear() {
        state.withLock { $0.pending = false }
    }

    /// Returns after the next signal (at once if one is remembered) or when the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextId &+= 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
