import Foundation
import Hummingbird
import SyncProtocol

/// A REST refusal: the `application/problem+json` document of a `ServiceError` (ERR-1) with the
/// headers the spec asks for: `WWW-Authenticate` on 401 (AUTH-1), `Retry-After` on retryable codes
/// (ERR-3) and `Allow` on 405 (ERR-7).
struct ProblemResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data
    /// The registry code of the refusal.
    let code: ErrorCode

    init(_ error: ServiceError, allow: [HTTPRequest.Method] = [], instance: String? = nil) {
        let problem = error.problem(instance: instance)
        code = error.code
        status = HTTPResponse.Status(code: Int(problem.status), reasonPhrase: Self.reasonPhrase(Int(problem.status)))
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if problem.status == 401 {
            headers[.wwwAuthenticate] = error.code == .tokenExpired
                ? "Bearer error=\"invalid_token\", error_description=\"the token expired\"" : "Bearer"
        }
        if let delay = problem.retryAfterMs {
            headers[.retryAfter] = String((delay + 999) / 1000)
        }
        if !allow.isEmpty {
            headers[.allow] = allow.map(\.rawValue).joined(separator: ", ")
        }
        self.headers = headers
        body = WireCodec.encode(problem)
    }

    /// The Hummingbird response.
    var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The whole response as HTTP/1.1 bytes, for refusing a WebSocket upgrade (WS-2), after which
    /// the connection closes.
    var http1Bytes: ByteBuffer {
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for field in headers {
            head += "\(field.name.rawName): \(field.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var buffer = ByteBuffer(string: head)
        buffer.writeBytes(body)
        return buffer
    }

    private static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 460: "Checksum Mismatch"
        default: HTTPResponse.Status(code: code).reasonPhrase
        }
    }
}
