import HTTPTypes
import Hummingbird
import SyncServer

/// `problem-as-plain-json` breaks ERR-1 (REST errors are RFC 9457 problem documents): error
/// bodies keep their shape but are labelled `application/json` instead of
/// `application/problem+json`.
enum ProblemAsPlainJSON {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Relabels problem documents.
    static let intercept: HTTPInterceptor = { request, next in
        var response = try await next(request)
        if response.headers[.contentType]?.hasPrefix("application/problem+json") == true {
            response.headers[.contentType] = "application/json"
        }
        return response
    }
}
