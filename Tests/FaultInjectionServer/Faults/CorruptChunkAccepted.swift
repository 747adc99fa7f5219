import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SyncServer

/// `corrupt-chunk-accepted` breaks UPL-4 (chunk digests): the digest of an upload chunk is
/// computed from the bytes as received and compared with itself, never with the client's
/// `Content-Digest`, so a chunk whose bytes do not match its digest is stored instead of refused
/// with 460 `digest_mismatch` (and one whose header lacks a `sha-256` member is stored instead
/// of refused with `digest_missing`). Modelled at the HTTP level: the header of every chunk upload
/// (`PUT /v1/uploads/{id}/chunks/{index}`) that carries one is replaced with the body's real
/// digest before the server sees it.
enum CorruptChunkAccepted {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Rewrites the `Content-Digest` of chunk uploads to the body's SHA-256.
    static let intercept: HTTPInterceptor = { request, next in
        guard request.method == .put, isChunkPath(request.uri.path), request.headers[contentDigest] != nil else {
            return try await next(request)
        }
        return try await next(withRealDigest(request))
    }

    /// `request` with a `Content-Digest` that is its body's real SHA-256.
    static func withRealDigest(_ request: Request) async throws -> Request {
        var request = request
        let body = try await request.collectBody(upTo: .max)
        var head = request.head
        head.headerFields[contentDigest] = "sha-256=:\(Data(SHA256.hash(data: Data(buffer: body))).base64EncodedString()):"
        return Request(head: head, body: request.body)
    }

    /// RFC 9530's header.
    static let contentDigest = HTTPField.Name("Content-Digest")!

    /// Whether `path` is `/v1/uploads/{id}/chunks/{index}`.
    static func isChunkPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0].isEmpty && parts[1] == "v1" && parts[2] == "uploads" && !parts[3].isEmpty
            && parts[4] == "chunks" && !parts[5].isEmpty
    }
}
