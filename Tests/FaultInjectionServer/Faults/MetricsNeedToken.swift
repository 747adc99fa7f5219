import HTTPTypes
import Hummingbird
import SyncServer

/// `metrics-need-token` breaks HEALTH-6 (`/metrics` is served without authentication): a scrape
/// without a bearer token is answered 401, as if `/metrics` were a tenant endpoint.
enum MetricsNeedToken {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Refuses unauthenticated scrapes.
    static let intercept: HTTPInterceptor = { request, next in
        guard request.uri.path == "/metrics", request.headers[.authorization] == nil else { return try await next(request) }
        return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
    }
}
