import NIOCore

/// What waits to be written on one WebSocket session, in the order it goes out (WS-14): heartbeat
/// messages and closes ahead of answers and changes, everything bounded in bytes and messages so
/// that a client that stops reading costs the server a bounded amount of memory. A struct driven
/// by `SessionOutbox`, tested without sockets.
package struct OutboundQueue: Sendable {
    /// One frame to write.
    package enum Frame: Sendable, Hashable {
        /// A text frame: an encoded message and the message type it carries (for metrics).
        case text(String, type: String)
        /// The close frame; nothing is written after it.
        case close(code: UInt16)
    }

    /// What `enqueue` did.
    package enum Outcome: Sendable, Hashable {
        /// The frame waits to be written.
        case queued
        /// The frame would take the queue past a bound; it was not queued.
        case overflow
        /// The session is closing; the frame was dropped.
        case dropped
    }

    /// Most bytes of text frames that may wait (`session_queue_bytes`).
    package let maxBytes: Int
    /// Most frames that may wait (`session_queue_messages`).
    package let maxMessages: Int
    private var urgent: CircularBuffer<Frame> = []
    private var data: CircularBuffer<Frame> = []
    /// Bytes of the text frames waiting in both lanes.
    package private(set) var bytes = 0
    /// Whether a close is queued (or written): later frames are dropped.
    package private(set) var isClosing = false

    /// Creates an empty queue with its bounds (each at least 1).
    package init(maxBytes: Int, maxMessages: Int) {
        self.maxBytes = max(1, maxBytes)
        self.maxMessages = max(1, maxMessages)
    }

    /// Frames waiting in both lanes.
    package var count: Int { urgent.count + data.count }

    /// Queues a text frame, in the urgent lane (pings and pongs: HB-1, HB-2) or behind the data
    /// already waiting. Refuses it when it would take the queue past either bound.
    package mutating func enqueue(_ text: String, type: String, urgent isUrgent: Bool) -> Outcome {
        guard !isClosing else { return .dropped }
        let size = text.utf8.count
        guard count < maxMessages, size <= maxBytes - bytes else { return .overflow }
        bytes += size
        if isUrgent { urgent.append(.text(text, type: type)) } else { data.append(.text(text, type: type)) }
        return .queued
    }

    /// Queues the close, with the `error` that explains it when there is one. `afterWaiting`
    /// keeps what already waits ahead of it (a shutdown answers the requests it received first,
    /// WS-12); otherwise what waits is discarded and the error and close go out next. The error
    /// is queued even past the bounds: it is the last message.
    package mutating func close(error: (text: String, type: String)?, code: UInt16, afterWaiting: Bool) {
        guard !isClosing else { return }
        isClosing = true
        if !afterWaiting { discardData() }
        var frames: [Frame] = [.close(code: code)]
        if let error {
            bytes += error.text.utf8.count
            frames.insert(.text(error.text, type: error.type), at: 0)
        }
        if afterWaiting { data.append(contentsOf: frames) } else { urgent.append(contentsOf: frames) }
    }

    /// Drops the answers and changes waiting (a slow consumer's, before its close).
    package mutating func discardData() {
        for case .text(let text, _) in data { bytes -= text.utf8.count }
        data.removeAll()
    }

    /// Up to `limit` frames to write, in the order `next()` gives them: the writer takes a burst
    /// (a fan-out of many changes) in one step. Taken frames no longer count against the bounds.
    package mutating func next(upTo limit: Int) -> [Frame] {
        var frames: [Frame] = []
        while frames.count < limit, let frame = next() { frames.append(frame) }
        return frames
    }

    /// The next frame to write, urgent ones first.
    package mutating func next() -> Frame? {
        guard let frame = urgent.popFirst() ?? data.popFirst() else { return nil }
        if case .text(let text, _) = frame { bytes -= text.utf8.count }
        return frame
    }
}
