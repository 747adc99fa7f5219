import HTTPTypes
import Hummingbird
import SyncServer

/// `missing-digest-accepted` breaks UPL-4 (every chunk carries its digest): a chunk upload
/// without `Content-Digest` is taken as it came instead of refused with `digest_missing`.
/// Modelled at the HTTP level: such a request is given the body's real digest before the server
/// sees it (chunks that carry a digest are checked as usual).
enum MissingDigestAccepted {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Adds the body's SHA-256 to chunk uploads that lack a digest.
    static let intercept: HTTPInterceptor = { request, next in
        let name = CorruptChunkAccepted.contentDigest
        guard request.method == .put, CorruptChunkAccepted.isChunkPath(request.uri.path), request.headers[name] == nil else {
            return try await next(request)
        }
        return try await next(CorruptChunkAccepted.withRealDigest(request))
    }
}
