import Foundation
import HTTPTypes
import Hummingbird
import SyncProtocol
import SyncServer

/// `wrong-error-status` breaks ERR-7 (a JSON body that does not parse is `malformed_frame`): on
/// REST the JSON parse failure escapes the error mapping and is answered 500 `internal_error`
/// instead of 400 `malformed_frame`. Bodies above `max_frame_bytes` (by `Content-Length`) still
/// get `frame_too_large`, and WebSocket frames are not affected.
enum WrongErrorStatus {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Answers a JSON request body that does not parse with `internal_error`.
    static let intercept: HTTPInterceptor = { request, next in
        guard [.post, .put, .patch].contains(request.method),
              request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
              (request.headers[.contentLength].flatMap { Int($0) } ?? 0) <= Int(Limits.maxFrameBytes) else {
            return try await next(request)
        }
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: .max))
        guard (try? JSONSerialization.jsonObject(with: body, options: .fragmentsAllowed)) == nil else {
            return try await next(request)
        }
        return internalError
    }

    /// The problem the server answers with (ERR-1's shape, the wrong code).
    static var internalError: Response {
        let error = ServiceError(.internalError, "an unexpected error occurred")
        let problem = Problem(type: "urn:mobilesync:error:\(error.code.rawValue)", title: error.info.title, status: Int64(error.info.status),
                              detail: error.message, code: error.code.rawValue, retryable: error.info.retryable, retryAfterMs: 1000)
        let headers: HTTPFields = [.contentType: "application/problem+json", .retryAfter: "1"]
        return Response(status: .internalServerError, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: WireCodec.encode(problem))))
    }
}
