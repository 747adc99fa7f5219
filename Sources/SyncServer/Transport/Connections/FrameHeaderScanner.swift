/// Follows the WebSocket frame headers in the bytes a client sends and finds the first frame the
/// connection must fail on before any WebSocket decoder buffers it: an unmasked one (RFC 6455
/// section 5.1: the server MUST fail the connection; NIO's decoder accepts them) or one whose
/// header announces more payload than `maxPayload`. Only the headers are read; payloads are
/// skipped, so the cost is a few operations per frame whatever its size. A struct, tested
/// without sockets.
struct FrameHeaderScanner: Sendable {
    /// What the bytes read so far hold.
    enum Verdict: Sendable, Equatable {
        /// Only frames to pass on (the last one may still be arriving).
        case fine
        /// A frame without the mask bit.
        case unmasked
        /// A frame announcing more than `maxPayload` bytes.
        case tooLarge
    }

    /// The largest payload a frame may announce.
    let maxPayload: UInt64
    /// Bytes of the frame header read so far (at most 14).
    private var header: [UInt8] = []
    /// Payload bytes still to skip before the next header.
    private var payloadLeft: UInt64 = 0

    /// A scanner refusing frames that announce more than `maxPayload` bytes.
    init(maxPayload: UInt64 = .max) {
        self.maxPayload = maxPayload
        header.reserveCapacity(14)
    }

    /// Reads `bytes`, the next bytes of the stream, and stops at the first header that fails the
    /// connection (later bytes are not read).
    mutating func scan(_ bytes: some Collection<UInt8>) -> Verdict {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if payloadLeft > 0 {
                let available = UInt64(bytes.distance(from: index, to: bytes.endIndex))
                let skip = min(payloadLeft, available)
                payloadLeft -= skip
                index = bytes.index(index, offsetBy: Int(skip))
                continue
            }
            header.append(bytes[index])
            index = bytes.index(after: index)
            guard header.count >= 2 else { continue }
            if header[1] & 0x80 == 0 { return .unmasked }
            let code = header[1] & 0x7F
            let extended = code == 126 ? 2 : code == 127 ? 8 : 0
            guard header.count >= 2 + extended else { continue }
            let length: UInt64 = switch code {
            case 126: UInt64(header[2]) << 8 | UInt64(header[3])
            case 127: header[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            default: UInt64(code)
            }
            if length > maxPayload { return .tooLarge }
            guard header.count == 2 + extended + 4 else { continue }
            payloadLeft = length
            header.removeAll(keepingCapacity: true)
        }
        return .fine
    }
}
