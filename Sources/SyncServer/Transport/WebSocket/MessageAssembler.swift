package import Foundation

/// Reassembles fragmented WebSocket messages and enforces `max_frame_bytes` on the whole message
/// (LIM-1) without keeping more than that many bytes. Pure state, tested without sockets.
package struct MessageAssembler: Sendable {
    /// The data opcodes of RFC 6455.
    package enum Opcode: Sendable, Hashable {
        case text
        case binary
        case continuation
    }

    /// What one frame completed.
    package enum Result: Sendable, Hashable {
        /// More fragments are needed (or the frame was discarded).
        case incomplete
        /// A whole message.
        case message(SessionStateMachine.Inbound)
    }

    /// The largest message accepted, in bytes.
    package let maxBytes: Int
    private var kind: Opcode?
    private var buffer = Data()
    /// Bytes of the current message so far (binary messages are counted, not kept).
    private var size = 0
    /// The rest of a message that was already reported too large is skipped.
    private var discarding = false

    package init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Adds one data frame.
    package mutating func append(_ opcode: Opcode, fin: Bool, payload: Data) -> Result {
        switch opcode {
        case .text, .binary:
            // RFC 6455 §5.4: the fragments of two messages are never interleaved.
            guard kind == nil, !discarding else { return .message(.brokenFraming) }
            kind = opcode
        case .continuation:
            if discarding {
                if fin { discarding = false }
                return .incomplete
            }
            // RFC 6455 §5.4 (and the registry's 1002): nothing to continue.
            guard kind != nil else { return .message(.brokenFraming) }
        }
        guard size + payload.count <= maxBytes else {
            kind = nil
            buffer = Data()
            size = 0
            discarding = !fin
            return .message(.tooLarge)
        }
        size += payload.count
        // A message in one frame (most are) is taken as it is, without copying it into the buffer.
        let whole = fin && buffer.isEmpty
        if kind == .text, !whole { buffer.append(payload) }
        guard fin, let finished = kind else { return .incomplete }
        kind = nil
        size = 0
        guard finished == .text else { return .message(.binary) }
        let text = whole ? payload : buffer
        buffer = Data()
        // RFC 6455 §8.1: a text message must be UTF-8; the session fails the connection (1007).
        // Most frames are ASCII: checked without building a String; the rest fully validated.
        guard Self.isASCII(text) || String(validating: text, as: UTF8.self) != nil else {
            return .message(.invalidUTF8)
        }
        return .message(.text(text))
    }

    private static func isASCII(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in bytes.allSatisfy { $0 < 0x80 } }
    }
}
