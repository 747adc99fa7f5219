import ArgumentParser
import Foundation
import Synchronization
import SyncTestSupport

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
private struct FloodConnection {
    let socket: RawSocket

    init?(port: Int) {
        guard let socket = try? RawSocket(port: port) else { return nil }
        self.socket = socket
    }

    /// Sends one push and reads its answer; the status, or `nil` when the connection failed.
    func push(seq: Int, token: String) -> Int? {
        let body = #"{"mutations":[{"seq":\#(seq),"collection":"bench","record_id":"f\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"fields":{"n":\#(seq)}}]}"#
        let request = "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nIdempotency-Key: f-\(seq)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        guard socket.send(Array(request.utf8)) else { return nil }
        return socket.receiveResponse(timeoutMs: 10_000)?.head.httpStatus
    }
}
