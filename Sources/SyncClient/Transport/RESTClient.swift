import Foundation
import SyncProtocol

/// The protocol's REST operations the SDK uses, over any `HTTPTransport`: bodies encoded and
/// decoded with the generated wire types, refusals turned into `TransportError` with the
/// server's problem document (and `Retry-After` folded into `retry_after_ms`).
struct RESTClient: Sendable {
    /// The server's base URL (`https://sync.example.com`).
    var baseURL: URL
    var transport: any HTTPTransport

    init(baseURL: URL, transport: any HTTPTransport) {
        self.baseURL = baseURL
        self.transport = transport
    }

    /// `pushBatch`: the batch under its idempotency key.
    func push(_ mutations: [Mutation], idempotencyKey: String, token: String) async throws(TransportError) -> PushResult {
        let body = WireCodec.encode(PushRequest(mutations: mutations))
        return try await call(HTTPRequest(method: "POST", path: "/v1/sync/push",
                                          headers: ["Content-Type": "application/json", "Idempotency-Key": idempotencyKey], body: body),
                              token: token, as: PushResult.self)
    }

    /// `pullChanges`: the page after `cursor` (from the start when `nil`).
    func pull(after cursor: String?, limit: Int64?, token: String) async throws(TransportError) -> ChangePage {
        var query: [String] = []
        if let cursor { query.append("cursor=\(cursor)") }
        if let limit { query.append("limit=\(limit)") }
        let path = "/v1/sync/pull" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return try await call(HTTPRequest(method: "GET", path: path), token: token, as: ChangePage.self)
    }

    /// `ackCursor`.
    func ack(_ cursor: String, token: String) async throws(TransportError) -> AckResult {
        let body = WireCodec.encode(AckRequest(cursor: cursor))
        return try await call(HTTPRequest(method: "POST", path: "/v1/sync/ack", headers: ["Content-Type": "application/json"], body: body),
                              token: token, as: AckResult.self)
    }

    /// `getCursor`: also the cheapest authenticated request, used to learn why an upgrade failed.
    func cursor(token: String) async throws(TransportError) -> AckResult {
        try await call(HTTPRequest(method: "GET", path: "/v1/sync/cursor"), token: token, as: AckResult.self)
    }

    /// `initUpload`.
    func initUpload(_ request: UploadInit, token: String) async throws(TransportError) -> UploadSession {
        try await call(HTTPRequest(method: "POST", path: "/v1/uploads", headers: ["Content-Type": "application/json"],
                                   body: WireCodec.encode(request)), token: token, as: UploadSession.self)
    }

    /// `uploadChunk`, with the chunk's `Content-Digest` (RFC 9530).
    func uploadChunk(uploadId: String, index: Int64, bytes: Data, digest: String, token: String) async throws(TransportError) -> ChunkReceipt {
        try await call(HTTPRequest(method: "PUT", path: "/v1/uploads/\(uploadId)/chunks/\(index)",
                                   headers: ["Content-Type": "application/octet-stream", "Content-Digest": digest], body: bytes),
                       token: token, as: ChunkReceipt.self)
    }

    /// `getUploadStatus`.
    func uploadStatus(uploadId: String, token: String) async throws(TransportError) -> UploadSession {
        try await call(HTTPRequest(method: "GET", path: "/v1/uploads/\(uploadId)"), token: token, as: UploadSession.self)
    }

    /// `finalizeUpload`.
    func finalize(uploadId: String, token: String) async throws(TransportError) -> UploadedFile {
        try await call(HTTPRequest(method: "POST", path: "/v1/uploads/\(uploadId)/finalize"), token: token, as: UploadedFile.self)
    }

    private func call<T: Decodable & WireValidatable & WireJSONCodable>(_ request: HTTPRequest, token: String, as type: T.Type) async throws(TransportError) -> T {
        let response = try await transport.perform(request, baseURL: baseURL, token: token)
        guard (200..<300).contains(response.status) else { throw Self.refusal(response) }
        do {
            return try WireCodec.decode(T.self, from: response.body)
        } catch {
            throw TransportError(.malformedFrame, "the server's answer to \(request.method) \(request.path.prefix { $0 != "?" }) does not decode: \(error.code)")
        }
    }

    /// The refusal a non-2xx response stands for, with its problem document when it has one.
    static func refusal(_ response: HTTPResponse) -> TransportError {
        var problem = try? JSONDecoder().decode(Problem.self, from: response.body)
        if problem?.retryAfterMs == nil, let header = response.headers["retry-after"], let seconds = Int64(header.trimmingCharacters(in: .whitespaces)),
           (0...86_400).contains(seconds) {
            problem?.retryAfterMs = seconds * 1000
        }
        let what = problem.map { "\($0.code): \($0.title)" } ?? "no problem document"
        return TransportError(.refused(status: response.status), "the server answered \(response.status) (\(what))", problem: problem)
    }
}
