import Foundation
import HTTPTypes
import Hummingbird
import SyncProtocol

/// Reads what a REST request carries: who sent it (AUTH-1, AUTH-6), its JSON body (ERR-7, LIM-1,
/// ERR-6) and its idempotency key (IDEM-1). Every refusal is a `ServiceError` with the spec's code.
struct RequestReader: Sendable {
    let authenticate: Authenticator
    let maxBodyBytes: Int
    /// Admits each request under its device's and tenant's rate limits (LIM-4).
    let limiter: RateLimiter

    /// The verified principal of the request's bearer token, refused with `forbidden` when it
    /// lacks what the operation needs.
    /// A request of a rate-limited class is then admitted under its limits or refused with
    /// `rate_limited` (LIM-6) before anything of it is read; `limitedAs` is `nil` for what is
    /// never limited (limits, test control).
    func principal(of request: Request, needs access: Access, limitedAs rateClass: RateClass?) async throws -> Principal {
        let token = try BearerToken.forREST(request)
        let principal = try await authenticate(token)
        RequestLogEntry.current?.principal = principal
        try access.check(principal)
        if let rateClass { try limiter.admit(principal, rateClass) }
        return principal
    }

    /// The body decoded and validated as `type`: `unsupported_media_type` for another media type,
    /// `frame_too_large` past `maxBodyBytes` (reading stops there), `malformed_frame` for text that is
    /// not a JSON object, `invalid_message` with every issue (or the more specific code of ERR-6).
    func body<Body: Decodable & WireValidatable & WireJSONCodable>(_ type: Body.Type, of request: Request) async throws -> Body {
        guard Self.isJSON(request.headers[.contentType]) else {
            throw ServiceError(.unsupportedMediaType, "send the body as application/json")
        }
        let bytes = try await collect(request.body, declaredLength: request.headers[.contentLength].flatMap { Int($0) })
        do {
            return try WireCodec.decode(Body.self, from: bytes)
        } catch {
            throw ServiceError.decoding(error)
        }
    }

    private func collect(_ body: RequestBody, declaredLength: Int?) async throws -> Data {
        let tooLarge = ServiceError(.frameTooLarge, "the body is larger than \(maxBodyBytes) bytes")
        if let declaredLength, declaredLength > maxBodyBytes { throw tooLarge }
        var bytes = Data()
        for try await chunk in body {
            guard bytes.count + chunk.readableBytes <= maxBodyBytes else { throw tooLarge }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// `application/json`, with or without parameters such as `charset=utf-8`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";", maxSplits: 1).first else { return false }
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private static let idempotencyKeyName = HTTPField.Name(WireHeaders.idempotencyKey)!
    private static let idempotencyKeyPattern = WirePattern("^[!#-\\[\\]-~]+$")

    /// The `Idempotency-Key` header, in plain or RFC 8941 string form (quotes stripped).
    static func idempotencyKey(of request: Request) throws(ServiceError) -> String {
        guard var key = request.headers[idempotencyKeyName] else {
            throw ServiceError(.idempotencyKeyMissing, "pushBatch needs an Idempotency-Key header")
        }
        if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") {
            key = String(key.dropFirst().dropLast())
        }
        guard !key.isEmpty else {
            throw ServiceError(.idempotencyKeyMissing, "the Idempotency-Key header is empty")
        }
        var issues: [WireIssue] = []
        let path = WirePath().appending(WireHeaders.idempotencyKey)
        Check.length(key, min: 1, max: Limits.maxIdempotencyKeyLength, at: path, into: &issues)
        Check.pattern(key, idempotencyKeyPattern, at: path, into: &issues)
        guard issues.isEmpty else {
            throw ServiceError(.invalidMessage, "the Idempotency-Key header is not a valid key", issues: issues)
        }
        return key
    }
}

extension Response {
    /// A JSON response with the value's canonical encoding.
    static func json(_ value: some Encodable & WireJSONCodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: WireCodec.encode(value))))
    }
}
