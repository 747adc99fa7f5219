import Hummingbird

/// Counts every HTTP request (REST, `/health`, `/metrics` and WebSocket upgrades) by matched
/// route pattern, method and status, and times it from its head to its response's head, like
/// Hummingbird's `MetricsMiddleware` but into the server's own registry and with bounded labels.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext
    let metrics: SyncMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: context.endpointPath, method: request.method.rawValue, status: response.status.code, duration: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(route: context.endpointPath, method: request.method.rawValue, status: status, duration: .now - start)
            throw error
        }
    }
}
