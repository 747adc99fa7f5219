import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing
@testable import fault_injection_server

/// `corrupt-chunk-accepted` works at the HTTP level (uploads are served by routes of their own):
/// a chunk whose bytes do not match its `Content-Digest` reaches the server with a digest that
/// matches, so a server checking digests (UPL-4) accepts it.
@Suite("fault-injection-server: corrupt-chunk-accepted")
struct CorruptChunkInterceptorTests {
    /// Answers as a chunk route checking digests does: 201, or 460 on a mismatch.
    static func digestCheckingRoute(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let digest = "sha-256=:\(Data(SHA256.hash(data: Data(buffer: body))).base64EncodedString()):"
        return Response(status: request.headers[CorruptChunkAccepted.contentDigest] == digest ? .created : .init(code: 460))
    }

    static func chunk(path: String, digest: String?) -> Request {
        var fields: HTTPFields = [.contentType: "application/octet-stream"]
        if let digest { fields[CorruptChunkAccepted.contentDigest] = digest }
        let head = HTTPRequest(method: .put, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: "these bytes are not what the digest says")))
    }

    static let wrongDigest = "sha-256=:\(Data(SHA256.hash(data: Data("other bytes".utf8))).base64EncodedString()):"

    @Test("a chunk with a wrong digest is refused without the fault and accepted with it")
    func wrongDigestAccepted() async throws {
        let reference = try await Self.digestCheckingRoute(Self.chunk(path: "/v1/uploads/up_1/chunks/0", digest: Self.wrongDigest))
        let faulty = try await CorruptChunkAccepted.intercept(Self.chunk(path: "/v1/uploads/up_1/chunks/0", digest: Self.wrongDigest),
                                                              Self.digestCheckingRoute)
        #expect(reference.status.code == 460)
        #expect(faulty.status == .created)
    }

    @Test("requests other than chunk uploads, and chunks without a digest, pass unchanged")
    func otherRequestsUnchanged() async throws {
        for (path, digest) in [("/v1/uploads/up_1", Self.wrongDigest), ("/v1/uploads/up_1/chunks/0", nil)] {
            let response = try await CorruptChunkAccepted.intercept(Self.chunk(path: path, digest: digest), Self.digestCheckingRoute)
            #expect(response.status.code == 460)
        }
    }
}
