import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The flooding device of `sync-bench flood`, in a process of its own: `connections` threads,
/// each sending single-mutation pushes one after another on a kept-alive loopback connection
/// (plain blocking sockets, so that the load costs the generator little), or on a new connection
/// per request with `--new-connections`, for `seconds`. Prints
/// the answers by HTTP status as one JSON line.
struct FloodLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood-load",
        abstract: "Flood a server with one device's pushes over kept-alive connections (used by 'flood').")

    @Option(help: "The server's port on 127.0.0.1.") var port: Int
    @Option(help: "Token of the flooding device.") var token: String
    @Option(help: "Concurrent connections.") var connections = 32
    @Option(help: "How long to flood, in seconds.") var seconds = 5.0
    @Flag(help: "Open a new connection for every request instead of keeping them alive.") var newConnections = false

    func run() throws {
        let tally = Mutex([Int: Int]())
        let sequence = Atomic<Int>(0)
        let deadline = Date().addingTimeInterval(seconds)
        let threads = (0..<connections).map { _ in
            Thread {
                var local: [Int: Int] = [:]
                var connection: FloodConnection?
                while Date() < deadline {
                    if connection == nil { connection = FloodConnection(port: port) }
                    let seq = sequence.add(1, ordering: .relaxed).newValue
                    guard let status = connection?.push(seq: seq, token: token) else {
                        connection = nil
                        local[-1, default: 0] += 1
                        continue
                    }
                    local[status, default: 0] += 1
                    if newConnections { connection = nil }
                }
                tally.withLock { total in total.merge(local, uniquingKeysWith: +) }
            }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.05) }
        let statuses = tally.withLock { $0 }
        let fields = statuses.keys.sorted().map { "\"\($0)\":\(statuses[$0]!)" }
        print("{" + fields.joined(separator: ",") + "}")
    }
}

/// One kept-alive HTTP/1.1 connection to 127.0.0.1, a request at a time.
private final class FloodConnection {
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 16384)

    init?(port: Int) {
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
            return nil
        }
    }

    deinit { close(descriptor) }

    /// Sends one push and reads its answer; the status, or `nil` when the connection failed.
    func push(seq: Int, token: String) -> Int? {
        let body = #"{"mutations":[{"seq":\#(seq),"collection":"bench","record_id":"f\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"fields":{"n":\#(seq)}}]}"#
        let request = "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nIdempotency-Key: f-\(seq)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        let bytes = Array(request.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return nil }
            offset += sent
        }
        return readResponse()
    }

    /// Reads one response with a `Content-Length` and returns its status.
    private func readResponse() -> Int? {
        var received: [UInt8] = []
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Range<Int>?
        while headEnd == nil {
            guard let more = receive() else { return nil }
            received += more
            headEnd = received.firstRange(of: separator)
        }
        let head = String(decoding: received[..<headEnd!.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var bodyBytes = received.count - headEnd!.upperBound
        while bodyBytes < length {
            guard let more = receive() else { return nil }
            bodyBytes += more.count
        }
        return status
    }

    private func receive() -> [UInt8]? {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}
