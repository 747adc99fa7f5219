import Synchronization

/// What one WebSocket session has to send, shared by the three parties that touch it: the
/// session (answers, heartbeat, errors, the close), the change feed (committed changes, which it
/// queues on the publishing task without waking the session) and the writer (which takes frames
/// and writes them). The order and bounds are `OutboundQueue`'s (WS-14).
///
/// Changes are taken only once the session is established (WS-5): `establish` queues `welcome`
/// and opens the queue to changes in one step, so no change can go out before it, and every
/// change published after it is queued (RT-1).
final class SessionOutbox: Sendable {
    private struct State {
        var queue: OutboundQueue
        /// Whether `welcome` was queued: changes are taken from then on.
        var takesChanges = false
        /// Whether an overflow was reported; later frames are dropped until the session closes.
        var overflowed = false
        /// The writer, waiting for a frame.
        var writer: CheckedContinuation<Void, Never>?
        /// The session is over: the writer takes nothing more.
        var finished = false

        mutating func enqueue(_ text: String, type: String, urgent: Bool) -> OutboundQueue.Outcome {
            guard !overflowed else { return .dropped }
            let outcome = queue.enqueue(text, type: type, urgent: urgent)
            if outcome == .overflow { overflowed = true }
            return outcome
        }
    }

    private let state: Mutex<State>

    /// An empty outbox with the queue's bounds (`session_queue_bytes`, `session_queue_messages`).
    init(maxBytes: Int, maxMessages: Int) {
        state = Mutex(State(queue: OutboundQueue(maxBytes: maxBytes, maxMessages: maxMessages)))
    }

    /// Queues a message for the writer: urgent ones (`ping`, `pong`) ahead of waiting data.
    /// `overflow` is reported once, for the session to close as a slow consumer; what comes
    /// after it is dropped.
    func enqueue(_ text: String, type: String, urgent: Bool) -> OutboundQueue.Outcome {
        update { state in state.enqueue(text, type: type, urgent: urgent) }
    }

    /// Queues a committed change, unless the session is not established yet or is closing.
    func enqueueChange(_ text: String, type: String) -> OutboundQueue.Outcome {
        update { state in state.takesChanges ? state.enqueue(text, type: type, urgent: false) : .dropped }
    }

    /// Queues `welcome` and takes changes from now on.
    func establish(_ text: String, type: String) -> OutboundQueue.Outcome {
        update { state in
            let outcome = state.enqueue(text, type: type, urgent: false)
            if outcome == .queued { state.takesChanges = true }
            return outcome
        }
    }

    /// Queues the close (see `OutboundQueue.close`).
    func close(error: (text: String, type: String)?, code: UInt16, afterWaiting: Bool) {
        _ = update { state in
            state.queue.close(error: error, code: code, afterWaiting: afterWaiting)
            return .queued
        }
    }

    /// Whether a close is queued: nothing more goes out after it.
    var isClosing: Bool { state.withLock { $0.queue.isClosing } }

    /// Whether the writer is waiting for a frame (tests wait for it before they wake it).
    var writerIsWaiting: Bool { state.withLock { $0.writer != nil } }

    /// The bytes and frames waiting, for the log.
    var waiting: (bytes: Int, frames: Int) { state.withLock { ($0.queue.bytes, $0.queue.count) } }

    /// Up to `limit` frames to write, waiting until there is one; empty once the session is over
    /// (`finish`) or the writing task is cancelled.
    func next(upTo limit: Int) async -> [OutboundQueue.Frame] {
        while true {
            let frames = state.withLock { state -> [OutboundQueue.Frame]? in
                let frames = state.queue.next(upTo: limit)
                return frames.isEmpty && !state.finished ? nil : frames
            }
            if let frames { return frames }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (writer: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        guard state.queue.count == 0, !state.finished else { return true }
                        state.writer = writer
                        return false
                    }
                    if ready { writer.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }

    /// The session is over: the writer stops waiting, and nothing more is taken.
    func finish() {
        let writer = state.withLock { state in
            state.finished = true
            return state.writer.take()
        }
        writer?.resume()
    }

    /// Changes the state and wakes the writer when something was queued.
    private func update(_ change: (inout State) -> OutboundQueue.Outcome) -> OutboundQueue.Outcome {
        let (outcome, writer) = state.withLock { state in
            let outcome = change(&state)
            return (outcome, outcome == .queued ? state.writer.take() : nil)
        }
        writer?.resume()
        return outcome
    }
}
