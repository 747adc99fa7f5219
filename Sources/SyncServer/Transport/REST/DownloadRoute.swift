import HTTPTypes
import Hummingbird
import SyncProtocol

/// `downloadFile`: a finalized file of the caller's tenant, streamed from disk, whole or one byte
/// range, with the headers of UPL-13. Any token of the tenant may download (UPL-12).
struct DownloadRoute: Sendable {
    let uploads: any UploadService
    let reader: RequestReader

    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.downloadFile.path)) { request, context in
            try await download(request, fileId: context.parameters.get("file_id") ?? "")
        }
    }

    func download(_ request: Request, fileId: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: .uploads)
        let file = try await uploads.file(principal, fileId: fileId)
        let etag = "\"\(file.sha256)\""
        var headers: HTTPFields = [
            .eTag: etag, .acceptRanges: "bytes", .contentType: "application/octet-stream",
            .contentDisposition: FileNameSanitizer.contentDisposition(file.name), Self.contentTypeOptions: "nosniff",
        ]
        let range: ClosedRange<Int64>
        let status: HTTPResponse.Status
        switch ByteRangeRequest(range: request.headers[.range], ifRange: request.headers[.ifRange], size: file.size, etag: etag) {
        case .whole:
            range = 0...(file.size - 1)
            status = .ok
        case .range(let first, let last):
            range = first...last
            status = .partialContent
            headers[.contentRange] = "bytes \(first)-\(last)/\(file.size)"
        case .unsatisfiable:
            var refusal = ProblemResponse(ServiceError(.rangeNotSatisfiable, "the range does not overlap the file")).response
            refusal.headers[.contentRange] = "bytes */\(file.size)"
            return refusal
        }
        let length = Int(range.upperBound - range.lowerBound + 1)
        let body = ResponseBody(contentLength: length) { [uploads] writer in
            try await uploads.readFile(file, range: range) { try await writer.write($0) }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }
}
