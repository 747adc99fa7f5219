import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TCP connection of the load generator: HTTP/1.1 requests on a kept-alive
/// connection, or a WebSocket after an upgrade, with one reusable read buffer. Plain sockets and
/// one thread per busy connection cost the generator far less than the server it measures, so
/// the figures are the server's.
final class BenchSocket {
    /// The socket, for `poll`.
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    /// Connects to 127.0.0.1:`port`; a read that waits longer than `timeoutSeconds` fails.
    init(port: Int, timeoutSeconds: Int = 30) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchFailure("cannot open a socket (errno \(errno)); raise the open-file limit") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw BenchFailure("cannot connect to 127.0.0.1:\(port) (errno \(errno))")
        }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends every byte.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw BenchFailure("the server closed the connection") }
            offset += sent
        }
    }

    /// Reads what has arrived (waiting for at least one byte) into the buffer.
    func fill() throws {
        if start > 0 && (start == buffer.count || start >= 1 << 16) {
            buffer.removeFirst(start)
            start = 0
        }
        // A temporary chunk on the stack: thousands of idle connections hold no read buffer.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 << 10) { chunk in
            let count = recv(descriptor, chunk.baseAddress, chunk.count, 0)
            guard count > 0 else { throw BenchFailure(count == 0 ? "the server closed the connection" : "no answer in time") }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// One HTTP/1.1 response with a `Content-Length`: its status and body.
    func readResponse() throws -> (status: Int, body: ArraySlice<UInt8>) {
        while true {
            if let response = try parseResponse() { return response }
            try fill()
        }
    }

    private func parseResponse() throws -> (status: Int, body: ArraySlice<UInt8>)? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard let end = buffer[start...].firstRange(of: terminator) else { return nil }
        let head = String(decoding: buffer[start..<end.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw BenchFailure("not an HTTP response: \(head.prefix(80))")
        }
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard buffer.count - end.upperBound >= length else { return nil }
        start = end.upperBound + length
        return (status, buffer[end.upperBound..<start])
    }

    /// Opens a WebSocket on `path` (RFC 6455), offering `subprotocol`; throws unless the server
    /// switches protocols.
    func upgrade(path: String, token: String?, subprotocol: String?) throws {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        if let subprotocol { request += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
        try write(Array((request + "\r\n").utf8))
        let terminator: [UInt8] = [13, 10, 13, 10]
        while buffer[start...].firstRange(of: terminator) == nil { try fill() }
        let end = buffer[start...].firstRange(of: terminator)!
        let head = String(decoding: buffer[start..<end.lowerBound], as: UTF8.self)
        start = end.upperBound
        guard head.hasPrefix("HTTP/1.1 101") else { throw BenchFailure("the upgrade was refused: \(head.prefix(80))") }
    }

    /// Sends one masked text frame.
    func sendText(_ payload: [UInt8]) throws {
        try write(Self.frame(opcode: 0x1, payload: payload))
    }

    /// A client frame (always masked; a zero mask leaves the payload as it is, which is allowed).
    static func frame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: frame.append(0x80 | 127); frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        return frame + [0, 0, 0, 0] + payload
    }

    /// The next whole WebSocket message, waiting for it; answers the server's ping frames.
    func readMessage() throws -> [UInt8] {
        while true {
            if let message = try nextMessage() { return message }
            try fill()
        }
    }

    /// The next whole text or binary message already received, if any; control frames are
    /// handled on the way (ping answered, close reported).
    func nextMessage() throws -> [UInt8]? {
        var cursor = start
        var message: [UInt8] = []
        while true {
            guard buffer.count - cursor >= 2 else { return nil }
            let first = buffer[cursor]
            var length = Int(buffer[cursor + 1] & 0x7f)
            var header = 2
            if length == 126 {
                guard buffer.count - cursor >= 4 else { return nil }
                length = Int(buffer[cursor + 2]) << 8 | Int(buffer[cursor + 3])
                header = 4
            } else if length == 127 {
                guard buffer.count - cursor >= 10 else { return nil }
                length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[cursor + $1]) }
                header = 10
            }
            guard buffer.count - cursor >= header + length else { return nil }
            let payload = buffer[(cursor + header)..<(cursor + header + length)]
            cursor += header + length
            let opcode = first & 0x0f
            if opcode >= 0x8 {
                if opcode == 0x8 { throw BenchFailure("the server closed the WebSocket: \(String(decoding: payload.dropFirst(2), as: UTF8.self))") }
                if opcode == 0x9 { try write(Self.frame(opcode: 0xA, payload: Array(payload))) }
                if message.isEmpty { start = cursor }
                continue
            }
            message += payload
            if first & 0x80 != 0 {
                start = cursor
                return message
            }
        }
    }
}

/// Why a measurement could not go on.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
