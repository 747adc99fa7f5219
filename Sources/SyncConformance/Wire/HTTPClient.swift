import Foundation
import NIOSSL

/// A minimal HTTP/1.1 client: one connection per request, exact headers, streamed bodies, and
/// every wait bounded by the exchange's deadline.
struct HTTPClient: Sendable {
    /// The server's host.
    var host: String
    /// The server's port.
    var port: Int
    /// TLS for `https://host:port`; `nil` for plain HTTP.
    var tls: NIOSSLContext?

    /// Creates a client for `http://host:port`, or `https://` with `tls`.
    init(host: String, port: Int, tls: NIOSSLContext? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Sends `request` and reads the whole response, all before `deadline`. Bytes already
    /// received past the response's end are an error: one request was sent, so nothing may
    /// follow its answer (RFC 9112 §6.3, message body length).
    func send(_ request: HTTPRequest, before deadline: ContinuousClock.Instant) async throws -> HTTPResponse {
        let (response, connection, leftover) = try await exchange(request, before: deadline)
        connection.close()
        guard leftover.isEmpty else {
            throw WireError("the server sent \(leftover.count) bytes after the end of its \(response.status) response, whose "
                            + "framing (Content-Length or chunked) says where it ends (RFC 9112 §6.3)")
        }
        return response
    }

    /// Sends `request` and reads the response head and body; the connection stays open (for upgrades).
    func exchange(_ request: HTTPRequest, before deadline: ContinuousClock.Instant) async throws -> (HTTPResponse, TCPConnection, [UInt8]) {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw WireError("timed out before connecting") }
        let connection = try await TCPConnection.connect(host: host, port: port, timeout: remaining, tls: tls)
        do {
            // A server may answer (413, 401) and close before reading the whole body: read its answer anyway.
            var writeError: (any Error)?
            do { try await write(request, to: connection) } catch { writeError = error }
            var parser = HTTPResponseParser(bodyless: request.method == "HEAD")
            while true {
                let outcome: HTTPResponseParser.Outcome
                if let bytes = await connection.read(before: deadline) {
                    outcome = parser.feed(bytes)
                } else if connection.isClosed {
                    outcome = parser.finish()
                    if case .invalid = outcome, let writeError { throw writeError }
                } else {
                    throw WireError("no complete response within the step's time")
                }
                switch outcome {
                case .needMore: continue
                case .invalid(let reason): throw WireError("invalid HTTP response: \(reason)")
                case .done(let response, let leftover): return (response, connection, leftover)
                }
            }
        } catch {
            connection.close()
            throw error
        }
    }

    private func write(_ request: HTTPRequest, to connection: TCPConnection) async throws {
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        let names = Set(request.headers.map { $0.0.lowercased() })
        if !names.contains("host") { head += "Host: \(host):\(port)\r\n" }
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        let hasBody: Bool = if case .none = request.body { false } else { true }
        if !names.contains("content-length"), !names.contains("transfer-encoding"), hasBody || ["POST", "PUT", "PATCH"].contains(request.method) {
            head += "Content-Length: \(request.body.length)\r\n"
        }
        head += "\r\n"
        try await connection.write(Array(head.utf8))
        switch request.body {
        case .none: break
        case .bytes(let bytes): if !bytes.isEmpty { try await connection.write(bytes) }
        case .blob(let generator, let range):
            var offset = range.lowerBound
            while offset < range.upperBound {
                let end = min(offset + 262_144, range.upperBound)
                try await connection.write(generator.bytes(offset..<end))
                offset = end
            }
        case .repeated(let unit, let times):
            let perChunk = max(1, 262_144 / max(1, unit.count))
            var sent = 0
            while sent < times {
                let count = min(perChunk, times - sent)
                try await connection.write(Array(Array(repeating: unit, count: count).joined()))
                sent += count
            }
        }
    }
}
