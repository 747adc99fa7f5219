@testable import SyncServer
import Testing

/// `Range` and `If-Range` of downloads (RFC 9110 section 14).
@Suite("byte range requests")
struct ByteRangeRequestTests {
    static let etag = "\"abc\""

    @Test("single ranges within a 1000-byte file", arguments: [
        ("bytes=0-0", 0, 0), ("bytes=0-999", 0, 999), ("bytes=10-5000", 10, 999), ("bytes=990-", 990, 999),
        ("bytes=-1", 999, 999), ("bytes=-5000", 0, 999), ("BYTES=1-2", 1, 2), (" bytes=3-4 ", 3, 4),
    ] as [(String, Int64, Int64)])
    func satisfiable(header: String, first: Int64, last: Int64) {
        #expect(ByteRangeRequest(range: header, ifRange: nil, size: 1000, etag: Self.etag) == .range(first: first, last: last))
    }

    @Test("ranges that do not overlap the file", arguments: ["bytes=1000-", "bytes=1000-2000", "bytes=-0"])
    func unsatisfiable(header: String) {
        #expect(ByteRangeRequest(range: header, ifRange: nil, size: 1000, etag: Self.etag) == .unsatisfiable)
    }

    @Test("ranges the server answers with the whole file", arguments: [
        "bytes=0-1,3-4", "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=-", "bytes=1", "bytes=+1-2", "bytes=99999999999999999999-",
    ])
    func whole(header: String) {
        #expect(ByteRangeRequest(range: header, ifRange: nil, size: 1000, etag: Self.etag) == .whole)
    }

    @Test("If-Range: the range counts only when it names the current ETag")
    func ifRange() {
        #expect(ByteRangeRequest(range: "bytes=0-1", ifRange: Self.etag, size: 1000, etag: Self.etag) == .range(first: 0, last: 1))
        #expect(ByteRangeRequest(range: "bytes=0-1", ifRange: "\"old\"", size: 1000, etag: Self.etag) == .whole)
        #expect(ByteRangeRequest(range: nil, ifRange: Self.etag, size: 1000, etag: Self.etag) == .whole)
    }
}
