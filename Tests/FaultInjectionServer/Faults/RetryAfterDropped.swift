import HTTPTypes
import Hummingbird
import SyncServer

/// `retry-after-dropped` breaks ERR-3 (responses to retryable errors carry `Retry-After`): the
/// header is removed from every REST response, so only the body's `retry_after_ms` is left.
enum RetryAfterDropped {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Drops `Retry-After` from the answer.
    static let intercept: HTTPInterceptor = { request, next in
        var response = try await next(request)
        response.headers[.retryAfter] = nil
        return response
    }
}
