import Foundation

/// An HTTP/1.1 request as the runner sends it: exact headers, raw or streamed body.
struct HTTPRequest: Sendable {
    /// How the body is produced.
    enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// Blob bytes, generated while sending.
        case blob(BlobGenerator, Range<Int>)
        /// A text repeated `times` times, generated while sending.
        case repeated([UInt8], times: Int)

        var length: Int {
            switch self {
            case .none: 0
            case .bytes(let bytes): bytes.count
            case .blob(_, let range): range.count
            case .repeated(let unit, let times): unit.count * times
            }
        }

        /// Up to the first 4 KiB, for the wire log.
        var preview: [UInt8] {
            switch self {
            case .none: []
            case .bytes(let bytes): Array(bytes.prefix(4096))
            case .blob(let generator, let range): generator.bytes(range.lowerBound..<min(range.upperBound, range.lowerBound + 4096))
            case .repeated(let unit, let times): Array(Array(repeating: unit, count: min(times, 4096)).joined().prefix(4096))
            }
        }
    }

    var method: String
    /// Path and query, already encoded.
    var target: String
    /// Headers in order, exactly as sent (Host and Content-Length are added when missing).
    var headers: [(String, String)]
    var body: Body
}

/// An HTTP response as received.
struct HTTPResponse: Sendable {
    var status: Int
    var reason: String
    /// Headers in order, names as received.
    var headers: [(String, String)]
    var body: [UInt8]

    /// The first value of a header (case-insensitive name).
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Parses one HTTP/1.1 response from bytes fed as they arrive (content-length, chunked, or until close).
struct HTTPResponseParser {
    enum Outcome {
        case needMore
        case done(HTTPResponse, leftover: [UInt8])
        case invalid(String)
    }

    private var buffer: [UInt8] = []
    private var head: (status: Int, reason: String, headers: [(String, String)])?
    private let bodyless: Bool
    /// Chunked bodies: where the next chunk header starts in `buffer`, and the body so far.
    private var chunkIndex = 0
    private var chunkedBody: [UInt8] = []

    /// `bodyless` for responses to HEAD (no body whatever the headers say).
    init(bodyless: Bool = false) {
        self.bodyless = bodyless
    }

    mutating func feed(_ bytes: [UInt8]) -> Outcome {
        buffer += bytes
        return parse(closed: false)
    }

    /// The peer closed: a body delimited by the close is complete now.
    mutating func finish() -> Outcome {
        switch parse(closed: true) {
        case .needMore: .invalid(head == nil ? "the connection closed before a response" : "the connection closed in the middle of the body")
        case let other: other
        }
    }

    private mutating func parse(closed: Bool) -> Outcome {
        if head == nil {
            guard let end = Self.find([13, 10, 13, 10], in: buffer) else { return .needMore }
            let text = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            var lines = text.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
            guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
                return .invalid("not an HTTP/1.1 status line: \(text.prefix(80))")
            }
            let headers = lines.compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            head = (status, statusLine.count > 2 ? statusLine[2] : "", headers)
        }
        guard let head else { return .needMore }
        func header(_ name: String) -> String? { head.headers.first { $0.0.lowercased() == name }?.1 }
        if bodyless || head.status == 101 || head.status == 204 || head.status == 304 || (100..<200).contains(head.status) {
            return complete(head, body: [], consumed: 0)
        }
        if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            return chunked(head)
        }
        if let length = header("content-length").flatMap({ Int($0) }) {
            guard buffer.count >= length else { return .needMore }
            return complete(head, body: Array(buffer[..<length]), consumed: length)
        }
        return closed ? complete(head, body: buffer, consumed: buffer.count) : .needMore
    }

    private func complete(_ head: (status: Int, reason: String, headers: [(String, String)]), body: [UInt8], consumed: Int) -> Outcome {
        .done(HTTPResponse(status: head.status, reason: head.reason, headers: head.headers, body: body), leftover: Array(buffer[consumed...]))
    }

    private mutating func chunked(_ head: (status: Int, reason: String, headers: [(String, String)])) -> Outcome {
        while true {
            guard let lineEnd = Self.find([13, 10], in: buffer, from: chunkIndex) else { return .needMore }
            let sizeText = String(decoding: buffer[chunkIndex..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return .invalid("bad chunk size") }
            let dataStart = lineEnd + 2
            if size == 0 {
                guard let trailerEnd = Self.find([13, 10], in: buffer, from: dataStart) else { return .needMore }
                if trailerEnd == dataStart { return complete(head, body: chunkedBody, consumed: dataStart + 2) }
                guard let end = Self.find([13, 10, 13, 10], in: buffer, from: dataStart) else { return .needMore }
                return complete(head, body: chunkedBody, consumed: end + 4)
            }
            guard buffer.count >= dataStart + size + 2 else { return .needMore }
            chunkedBody += buffer[dataStart..<dataStart + size]
            chunkIndex = dataStart + size + 2
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<index + needle.count]) == needle { return index }
        }
        return nil
    }
}
