/// One WebSocket frame (RFC 6455), as the runner encodes (masked, client side) and decodes it.
struct WebSocketFrame: Sendable, Equatable {
    enum Opcode: UInt8, Sendable {
        case continuation = 0
        case text = 1
        case binary = 2
        case close = 8
        case ping = 9
        case pong = 10
    }

    var fin: Bool
    var opcode: Opcode
    var payload: [UInt8]

    /// The frame's bytes, masked with `mask` (clients must mask).
    func encoded(mask: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode.rawValue]
        let count = payload.count
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        if count < 126 {
            out.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            out.append(maskBit | 126)
            out += [UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            out += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(count) >> (UInt64($0) * 8)) }
        }
        guard let mask else { return out + payload }
        out += mask
        out.reserveCapacity(out.count + count)
        for (index, byte) in payload.enumerated() { out.append(byte ^ mask[index & 3]) }
        return out
    }

    /// A close frame's code, when it carries one.
    var closeCode: Int? {
        guard opcode == .close, payload.count >= 2 else { return nil }
        return Int(payload[0]) << 8 | Int(payload[1])
    }
}

/// Decodes frames from a byte stream (unmasking when the peer masked).
struct WebSocketFrameDecoder {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func feed(_ bytes: [UInt8]) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer += bytes
    }

    /// The next complete frame, `nil` when more bytes are needed; throws on a malformed header.
    mutating func next() throws(WireError) -> WebSocketFrame? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let first = buffer[start]
        let second = buffer[start + 1]
        guard let opcode = WebSocketFrame.Opcode(rawValue: first & 0x0F) else { throw WireError("unknown WebSocket opcode \(first & 0x0F)") }
        var length = Int(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard available >= 4 else { return nil }
            length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            offset = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = (0..<8).reduce(0) { $0 << 8 | Int(buffer[start + 2 + $1]) }
            offset = 10
        }
        let masked = second & 0x80 != 0
        let mask = masked ? offset : -1
        if masked { offset += 4 }
        guard available >= offset + length else { return nil }
        var payload = Array(buffer[(start + offset)..<(start + offset + length)])
        if mask >= 0 {
            let key = Array(buffer[(start + mask)..<(start + mask + 4)])
            for index in payload.indices { payload[index] ^= key[index & 3] }
        }
        start += offset + length
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return WebSocketFrame(fin: first & 0x80 != 0, opcode: opcode, payload: payload)
    }
}
