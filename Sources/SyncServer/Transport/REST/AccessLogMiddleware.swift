import Hummingbird
import Logging
import Synchronization
import SyncProtocol

/// What a request learned about itself on its way through the routes, for its access-log line:
/// whom the token named and which registry code refused it. Reached through a task-local so the
/// routes and the problem middleware can fill it without threading it through every call.
final class RequestLogEntry: Sendable {
    private struct Fields {
        var principal: Principal?
        var code: ErrorCode?
    }

    private let fields = Mutex(Fields())

    /// The request being handled by the current task, if it is logged.
    @TaskLocal static var current: RequestLogEntry?

    /// The authenticated caller.
    var principal: Principal? {
        get { fields.withLock { $0.principal } }
        set { fields.withLock { $0.principal = newValue } }
    }

    /// The registry code of the answer, when the request was refused.
    var code: ErrorCode? {
        get { fields.withLock { $0.code } }
        set { fields.withLock { $0.code = newValue } }
    }
}

/// One `info` line per REST request and WebSocket upgrade: request id (in the logger's
/// metadata), method, path (never the query, which may hold a token), status, refusal code,
/// tenant, user and device when the token was valid, and the duration. Never tokens, bodies or
/// record contents.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = SyncRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let entry = RequestLogEntry()
        let start = ContinuousClock.now
        do {
            let response = try await RequestLogEntry.$current.withValue(entry) { try await next(request, context) }
            log(request, context, entry, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context, entry, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, _ entry: RequestLogEntry, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        var metadata: Logger.Metadata = [
            "method": "\(request.method)",
            "path": "\(String(request.uri.path.prefix(256)))",
            "status": "\(status)",
            "duration_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let code = entry.code { metadata["code"] = "\(code.rawValue)" }
        if let principal = entry.principal {
            metadata["tenant"] = "\(principal.tenant)"
            metadata["user"] = "\(principal.user)"
            if let device = principal.device { metadata["device"] = "\(device)" }
        }
        context.logger.info(entry.code == nil ? "request" : "request refused", metadata: metadata)
    }

    /// A duration in milliseconds with microsecond precision.
    static func milliseconds(_ duration: Duration) -> Double {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return Double(micros) / 1000
    }
}
