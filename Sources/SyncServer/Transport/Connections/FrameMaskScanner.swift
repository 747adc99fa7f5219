/// Follows the WebSocket frame headers in the bytes a client sends and tells whether a frame is
/// unmasked (RFC 6455 section 5.1: the server MUST fail the connection on an unmasked client
/// frame; NIO's decoder accepts them). Only the headers are read; payloads are skipped, so the
/// cost is a few operations per frame whatever its size. A struct, tested without sockets.
struct FrameMaskScanner: Sendable {
    /// Bytes of the frame header read so far (at most 14).
    private var header: [UInt8] = []
    /// Payload bytes still to skip before the next header.
    private var payloadLeft: UInt64 = 0

    init() {
        header.reserveCapacity(14)
    }

    /// Reads `bytes`, the next bytes of the stream. Returns `false` as soon as a frame header
    /// without the mask bit is seen (later bytes are not read).
    mutating func scan(_ bytes: some Collection<UInt8>) -> Bool {
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
            if header[1] & 0x80 == 0 { return false }
            let code = header[1] & 0x7F
            let extended = code == 126 ? 2 : code == 127 ? 8 : 0
            guard header.count == 2 + extended + 4 else { continue }
            payloadLeft = switch code {
            case 126: UInt64(header[2]) << 8 | UInt64(header[3])
            case 127: header[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            default: UInt64(code)
            }
            header.removeAll(keepingCapacity: true)
        }
        return true
    }
}
