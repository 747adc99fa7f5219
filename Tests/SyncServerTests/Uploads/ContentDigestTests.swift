import Foundation
@testable import SyncServer
import Testing

/// The `sha-256` member of RFC 9530 `Content-Digest` headers (RFC 8941 dictionaries).
@Suite("Content-Digest parser")
struct ContentDigestTests {
    static let digest = Array(0..<32).map { UInt8($0) }
    static let encoded = Data(digest).base64EncodedString()

    @Test("valid dictionaries yield the 32-byte digest", arguments: [
        "sha-256=:\(encoded):",
        "sha-512=:AAAA:, sha-256=:\(encoded):",
        "sha-256=:\(encoded):;alg=1, unixsum=30637",
        "  sha-256=:\(encoded):",
        "id-sha-256=?1, sha-256=:\(encoded):,md5=\"x,y\"",
        "x=(1 2 \"a\");p, sha-256=:\(encoded):",
        "sha-256=:AAAA:, sha-256=:\(encoded):",
    ])
    func valid(header: String) {
        #expect(ContentDigest.sha256(header) == Self.digest)
    }

    @Test("unusable headers yield nothing (digest_missing)", arguments: [
        "",
        "sha-256",
        "sha-256=\(encoded)",
        "sha-256=:\(encoded)",
        "SHA-256=:\(encoded):",
        "sha-256=:AAAA:",
        "sha-256=:\(encoded):, ",
        "sha-256=:\(encoded):,,",
        "sha-256=:\(encoded.dropLast()):",
        "sha-256=:\(encoded):; =1",
        "sha-256=:!!:",
        "md5=:\(encoded):",
        "sha-256=\"\(encoded)\"",
        "sha-256=:\(encoded): trailing",
    ])
    func unusable(header: String) {
        #expect(ContentDigest.sha256(header) == nil)
    }
}
