import Foundation
import Hummingbird
import Logging
import SyncProtocol

/// Turns every failure of a request into the spec's RFC 9457 answer (ERR-1): `ServiceError`s with
/// their code, unmatched paths as `not_found` or `method_not_allowed` (ERR-7), anything unexpected
/// as `internal_error` (ERR-5). When the request is a WebSocket upgrade, the same answer replaces
/// the library's empty refusal (WS-1, WS-2).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    let catalog: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let refusal: ProblemResponse
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            refusal = ProblemResponse(error)
        } catch let error as HTTPError where error.status == .notFound {
            let methods = catalog.methods(at: request.uri.path)
            refusal = methods.isEmpty
                ? ProblemResponse(ServiceError(.notFound, "no such path"))
                : ProblemResponse(ServiceError(.methodNotAllowed, "\(request.method) is not served at this path"), allow: methods)
        } catch let error as any HTTPResponseError {
            refusal = ProblemResponse(Self.serviceError(forStatus: error.status))
        } catch {
            let instance = "urn:uuid:\(UUID().uuidString.lowercased())"
            context.logger.error("request failed unexpectedly", metadata: ["instance": "\(instance)", "error": "\(String(reflecting: type(of: error)))"])
            refusal = ProblemResponse(ServiceError(.internalError, "an unexpected error occurred"), instance: instance)
        }
        RequestLogEntry.current?.code = refusal.code
        if Self.isUpgrade(request) {
            await UpgradeRefusalHandler.install(refusal.http1Bytes, on: context.channel)
        }
        return refusal.response
    }

    /// Whether the request asks to switch to WebSocket.
    static func isUpgrade(_ request: Request) -> Bool {
        request.headers[.upgrade]?.lowercased().contains("websocket") ?? false
    }

    /// A registry code for an HTTP error raised by the framework.
    private static func serviceError(forStatus status: HTTPResponse.Status) -> ServiceError {
        switch status {
        case .contentTooLarge: ServiceError(.frameTooLarge, "the body is too large")
        case .unsupportedMediaType: ServiceError(.unsupportedMediaType, "the body's media type is not accepted")
        case .notFound: ServiceError(.notFound, "no such path")
        case .badRequest: ServiceError(.malformedFrame, "the request could not be read")
        case .serviceUnavailable: ServiceError(.unavailable, "the server cannot serve right now")
        default: ServiceError(.internalError, "an unexpected error occurred")
        }
    }
}
