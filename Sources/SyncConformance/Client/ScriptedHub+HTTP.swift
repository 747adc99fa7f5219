import Crypto
import Foundation
import SyncProtocol

/// One resumable upload on the scripted server.
struct UploadState: Sendable {
    var id: String
    var name: String
    var size: Int64
    var contentType: String
    var sha256: String
    var chunkSize: Int64
    var chunks: [Int64: [UInt8]] = [:]
    var fileId: String?
    /// Wall-clock milliseconds: clients compare `expires_at` with their own clock.
    var createdAt = Int64(Date().timeIntervalSince1970 * 1000)

    var chunkCount: Int64 { size == 0 ? 1 : (size + chunkSize - 1) / chunkSize }
    var missing: [Int64] { (0..<chunkCount).filter { chunks[$0] == nil } }
}

extension ScriptedHub {
    /// The chunk size the scripted server assigns: the spec's minimum, so small blobs have several chunks.
    static let chunkSize = Limits.minChunkBytes

    /// Answers an HTTP request: a refused WebSocket upgrade, `getCursor`, and the upload endpoints.
    /// `nil` means no answer at all (a `silent` reaction): the request hangs until the client gives up.
    func answer(_ request: ScriptedRequest) -> ScriptedResponse? {
        recorder.record("client", .received, .httpRequest, "\(request.method) \(request.uri) (\(request.body.count) bytes)")
        guard let response = route(request) else {
            recorder.note("server", "no answer (silent)")
            return nil
        }
        recorder.record("client", .sent, .httpResponse, "\(response.status) for \(request.method) \(request.path)",
                        body: response.body.count <= 2048 ? response.body : nil)
        return response
    }

    private func route(_ request: ScriptedRequest) -> ScriptedResponse? {
        if request.tooLarge { return problem("frame_too_large") }
        let token = Self.token(authorization: request.header("Authorization"), uri: request.uri)
        if let token, expired.contains(token) { return problem("token_expired") }
        guard token != nil else { return problem("unauthorized") }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts) {
        case ("GET", ["v1", "sync"]):
            return problem("invalid_message")
        case ("GET", ["v1", "sync", "cursor"]):
            record("get_cursor", .object([]))
            return json(200, .object([]))
        case ("POST", ["v1", "uploads"]):
            return initUpload(request)
        case ("PUT", let path) where path.count == 5 && path[1] == "uploads" && path[3] == "chunks":
            return chunk(request, uploadId: path[2], index: path[4])
        case ("GET", let path) where path.count == 3 && path[1] == "uploads":
            record("upload_status", .object([.init("upload_id", .string(path[2]))]))
            guard let upload = uploads[path[2]] else { return problem("not_found") }
            return json(200, session(upload))
        case ("POST", let path) where path.count == 4 && path[1] == "uploads" && path[3] == "finalize":
            return finalize(uploadId: path[2])
        default:
            record("http", .object([.init("method", .string(request.method)), .init("path", .string(request.path))]))
            return problem("not_found")
        }
    }

    private func initUpload(_ request: ScriptedRequest) -> ScriptedResponse {
        guard let body = try? JSON.parse(request.body), let size = body["size"]?.integer, let sha = body["sha256"]?.string, size >= 0 else {
            return problem("invalid_message")
        }
        record("upload_init", body)
        let upload = UploadState(id: "u\(uploads.count + 1)", name: body["name"]?.string ?? "file", size: size,
                                 contentType: body["content_type"]?.string ?? "application/octet-stream", sha256: sha,
                                 chunkSize: Self.chunkSize)
        uploads[upload.id] = upload
        return json(201, session(upload))
    }

    private func chunk(_ request: ScriptedRequest, uploadId: String, index text: String) -> ScriptedResponse? {
        let digest = request.header("Content-Digest")
        // Whether the server already held this chunk when it arrived: a client that resumes from
        // the upload's status never sends such a chunk again (CL-9).
        let held = Int64(text).map { uploads[uploadId]?.chunks[$0] != nil } ?? false
        let number = record("chunk", .object([.init("upload_id", .string(uploadId)), .init("index", Int64(text).map { JSON.int($0) } ?? JSON.string(text)),
                                              .init("size", .int(Int64(request.body.count))), .init("digest", digest.map(JSON.string) ?? .null),
                                              .init("already_stored", .bool(held))]))
        switch nextReaction("chunk") {
        case .error(let code, let retryAfterMs):
            markAnswered("chunk", number)
            return problem(code, retryAfterMs: retryAfterMs)
        case .silent:
            return nil
        default:
            break
        }
        guard var upload = uploads[uploadId] else { return problem("not_found") }
        guard let index = Int64(text), (0..<upload.chunkCount).contains(index) else { return problem("chunk_index_out_of_range") }
        guard let digest else { return problem("digest_missing") }
        let actual = "sha-256=:\(Data(SHA256.hash(data: request.body)).base64EncodedString()):"
        guard digest.replacingOccurrences(of: " ", with: "") == actual else { return problem("digest_mismatch") }
        let already = upload.chunks[index] != nil
        upload.chunks[index] = request.body
        uploads[uploadId] = upload
        markAnswered("chunk", number)
        let hex = SHA256.hash(data: request.body).map { String(format: "%02x", $0) }.joined()
        return json(already ? 200 : 201, .object([
            .init("upload_id", .string(uploadId)), .init("index", .int(index)), .init("size", .int(Int64(request.body.count))),
            .init("sha256", .string(hex)), .init("already_stored", .bool(already)),
        ]))
    }

    private func finalize(uploadId: String) -> ScriptedResponse {
        record("finalize", .object([.init("upload_id", .string(uploadId))]))
        guard var upload = uploads[uploadId] else { return problem("not_found") }
        if let fileId = upload.fileId { return json(200, file(upload, id: fileId)) }
        guard upload.missing.isEmpty else { return problem("upload_incomplete") }
        var hasher = SHA256()
        for index in 0..<upload.chunkCount { hasher.update(data: upload.chunks[index] ?? []) }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard hex == upload.sha256.lowercased() else { return problem("file_hash_mismatch") }
        upload.fileId = "f\(uploadId)"
        uploads[uploadId] = upload
        return json(200, file(upload, id: upload.fileId ?? ""))
    }

    private func session(_ upload: UploadState) -> JSON {
        let received = (0..<upload.chunkCount).filter { upload.chunks[$0] != nil }
        var value = JSON.object([
            .init("upload_id", .string(upload.id)), .init("name", .string(upload.name)), .init("size", .int(upload.size)),
            .init("content_type", .string(upload.contentType)), .init("sha256", .string(upload.sha256)),
            .init("chunk_size", .int(upload.chunkSize)), .init("chunk_count", .int(upload.chunkCount)),
            .init("received_chunks", .array(received.map(JSON.int))), .init("missing_chunks", .array(upload.missing.map(JSON.int))),
            .init("bytes_stored", .int(Int64(upload.chunks.values.reduce(0) { $0 + $1.count }))),
            .init("state", .string(upload.fileId == nil ? "open" : "finalized")), .init("created_at", .int(upload.createdAt)),
            .init("expires_at", .int(upload.createdAt + Limits.uploadExpirySeconds * 1000)),
        ])
        if let fileId = upload.fileId { value = value.replacing("file_id", with: .string(fileId)) }
        return value
    }

    private func file(_ upload: UploadState, id: String) -> JSON {
        .object([.init("file_id", .string(id)), .init("name", .string(upload.name)), .init("size", .int(upload.size)),
                 .init("sha256", .string(upload.sha256)), .init("content_type", .string(upload.contentType)),
                 .init("created_at", .int(upload.createdAt))])
    }

    private func json(_ status: Int, _ body: JSON) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.compact.utf8))
    }

    /// A problem document for `code`, with the status the spec gives it.
    private func problem(_ code: String, retryAfterMs: Int? = nil) -> ScriptedResponse {
        let info = ErrorInfo.registry[ErrorCode(rawValue: code)]
        var body = JSON.object([
            .init("type", .string("urn:mobilesync:error:\(code)")), .init("title", .string(info?.title ?? code)),
            .init("status", .int(Int64(info?.status ?? 400))), .init("code", .string(code)), .init("retryable", .bool(info?.retryable ?? false)),
        ])
        var headers = [("Content-Type", "application/problem+json")]
        if let retryAfterMs {
            body = body.replacing("retry_after_ms", with: .int(Int64(retryAfterMs)))
            headers.append(("Retry-After", "\(max(1, (retryAfterMs + 999) / 1000))"))
        }
        return ScriptedResponse(status: info?.status ?? 400, headers: headers, body: Array(body.compact.utf8))
    }
}
