public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TCP socket for raw bytes, each read bounded by a timeout: for tests and
/// load generators that must send exactly the bytes they choose (hostile frames, pipelined or
/// flooding requests).
public final class RawSocket {
    private let descriptor: Int32
    /// Bytes received past the last response `receiveResponse` returned.
    private var pending: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, connected == 0 else {
            close(descriptor)
            throw SocketFailure(reason: "cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(descriptor) }

    /// Sends all bytes; `false` once the peer closed.
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Reads until `marker` was received, the peer closed, or `timeoutMs` passed without data.
    public func receive(until marker: [UInt8]?, timeoutMs: Int = 300) -> [UInt8] {
        var timeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: Int((timeoutMs % 1000) * 1000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < 4 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[0..<count]
            if let marker, received.firstRange(of: marker) != nil { break }
        }
        return received
    }

    /// Reads one HTTP/1.1 response with a `Content-Length`: its head (status line and headers)
    /// and its body; `nil` when the peer closed or stalled first.
    public func receiveResponse(timeoutMs: Int = 5000) -> (head: String, body: [UInt8])? {
        var received = pending
        while received.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let more = receive(until: Array("\r\n\r\n".utf8), timeoutMs: timeoutMs)
            guard !more.isEmpty else { return nil }
            received += more
        }
        let split = received.firstRange(of: Array("\r\n\r\n".utf8))!
        let head = String(decoding: received[..<split.lowerBound], as: UTF8.self)
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var rest = Array(received[split.upperBound...])
        var buffer = [UInt8](repeating: 0, count: 65536)
        while rest.count < length {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            rest += buffer[0..<count]
        }
        pending = Array(rest[length...])
        return (head, Array(rest[..<length]))
    }
}

/// A loopback connection that could not be made.
public struct SocketFailure: Error, CustomStringConvertible {
    /// What failed.
    public var reason: String
    public var description: String { reason }
}

extension String {
    /// The status code of an HTTP/1.1 response head (`HTTP/1.1 429 Too Many Requests`).
    public var httpStatus: Int? {
        split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) }
    }
}
