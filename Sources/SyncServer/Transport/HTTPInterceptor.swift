package import Hummingbird

/// Sees an HTTP request (REST or WebSocket upgrade) before the router's own middleware and may
/// change it, answer it itself, or change the answer `next` gives. A test-only seam
/// (`ServerCustomization.interceptors`).
package typealias HTTPInterceptor = @Sendable (_ request: Request, _ next: (Request) async throws -> Response) async throws -> Response

/// Runs an `HTTPInterceptor` as router middleware.
struct InterceptorMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    let intercept: HTTPInterceptor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await intercept(request) { request in try await next(request, context) }
    }
}
