import HTTPTypes
import Hummingbird
import SyncProtocol

/// The resumable-upload endpoints (`initUpload`, `uploadChunk`, `getUploadStatus`,
/// `finalizeUpload`, `cancelUpload`); each needs the device token of the session's device.
/// Chunk bodies are handed to the upload service as the stream they arrive as, never collected.
struct UploadRoutes: Sendable {
    let uploads: any UploadService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.post(RouterPath(Endpoints.initUpload.path)) { request, _ in try await initUpload(request) }
        router.put(RouterPath(Endpoints.uploadChunk.path)) { request, context in
            try await uploadChunk(request, uploadId: context.parameters.get("upload_id") ?? "", index: context.parameters.get("index") ?? "")
        }
        router.get(RouterPath(Endpoints.getUploadStatus.path)) { request, context -> Response in
            let principal = try await reader.principal(of: request, needs: .device, limitedAs: .uploads)
            return .json(try await uploads.uploadStatus(principal, uploadId: context.parameters.get("upload_id") ?? ""))
        }
        router.post(RouterPath(Endpoints.finalizeUpload.path)) { request, context -> Response in
            let principal = try await reader.principal(of: request, needs: .device, limitedAs: .uploads)
            return .json(try await uploads.finalizeUpload(principal, uploadId: context.parameters.get("upload_id") ?? ""))
        }
        router.delete(RouterPath(Endpoints.cancelUpload.path)) { request, context -> Response in
            let principal = try await reader.principal(of: request, needs: .device, limitedAs: .uploads)
            try await uploads.cancelUpload(principal, uploadId: context.parameters.get("upload_id") ?? "")
            return Response(status: .noContent)
        }
    }

    func initUpload(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .uploads)
        let initRequest = try await reader.body(UploadInit.self, of: request)
        let session = try await uploads.initUpload(principal, initRequest)
        return .json(session, status: .created, headers: [.location: "/v1/uploads/\(session.uploadId)"])
    }

    func uploadChunk(_ request: Request, uploadId: String, index text: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .uploads)
        guard let index = Int64(text) else {
            throw ServiceError(.invalidMessage, "the chunk index must be an integer",
                               issues: [WireIssue(path: "index", message: "must be an integer")])
        }
        guard Self.isOctetStream(request.headers[.contentType]) else {
            throw ServiceError(.unsupportedMediaType, "send the chunk as application/octet-stream")
        }
        guard let header = request.headers[Self.contentDigest], header.utf8.count <= 1024, let digest = ContentDigest.sha256(header) else {
            throw ServiceError(.digestMissing, "send the chunk's SHA-256 as Content-Digest: sha-256=:<base64>:")
        }
        let declaredLength = request.headers[.contentLength].flatMap { Int64($0) }
        let receipt = try await uploads.uploadChunk(principal, uploadId: uploadId, index: index, digest: digest,
                                                    declaredLength: declaredLength, body: request.body)
        return .json(receipt, status: receipt.alreadyStored ? .ok : .created)
    }

    static let contentDigest = HTTPField.Name("Content-Digest")!

    /// `application/octet-stream`, parameters allowed.
    static func isOctetStream(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";", maxSplits: 1).first else { return false }
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/octet-stream"
    }
}
