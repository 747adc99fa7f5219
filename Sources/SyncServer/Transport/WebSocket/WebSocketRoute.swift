import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import SyncProtocol

/// The WebSocket upgrade at `/v1/sync`: checks the upgrade request (token, device, subprotocol,
/// shutdown) and then serves the connection with a `WebSocketSession`.
struct WebSocketRoute: Sendable {
    let service: any SyncService
    let authenticate: Authenticator
    let limits: TransportLimits
    let registry: SessionRegistry
    /// Admits each session under the sessions-per-device and per-tenant limits, and each request
    /// message under the rate limits of its class (LIM-4).
    let limiter: RateLimiter
    /// Whether test control can move a tenant's clock (TEST-5): sessions then look at their
    /// token's expiry once a second instead of sleeping until it.
    let tenantClocksMove: Bool

    func register(on router: Router<SyncRequestContext>) {
        router.group()
            .add(middleware: UpgradeChecks(authenticate: authenticate, registry: registry, limiter: limiter))
            .ws(
                RouterPath(ProtocolInfo.websocketPath),
                shouldUpgrade: { _, _ in .upgrade([.secWebSocketProtocol: ProtocolInfo.subprotocol]) },
                onUpgrade: { inbound, outbound, context in
                    guard let principal = context.requestContext.principal else { return }
                    await serve(principal: principal, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, logger: context.logger)
                }
            )
    }

    private func serve(
        principal: Principal, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, logger: Logger
    ) async {
        // Counted once the upgrade switched (UpgradeChecks only checked there was room: an upgrade
        // that never completes must not hold a place); released however the session ends.
        limiter.openSession(principal)
        defer { limiter.closeSession(principal) }
        let session = WebSocketSession(id: Self.makeSessionId(), principal: principal, service: service, limits: limits,
                                       limiter: limiter, metrics: registry.metrics, tenantClockMoves: tenantClocksMove,
                                       closeConnection: { channel.close(promise: nil) }, logger: logger)
        await InboundActivityHandler.install(on: channel, activity: session.activity)
        if await registry.register(session) {
            await session.run(inbound: inbound, writer: outbound)
        } else {
            // Shutdown began while the upgrade was answered: close at once with `unavailable`.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await session.run(inbound: inbound, writer: outbound) }
                group.addTask { await session.drain() }
            }
        }
        await registry.unregister(session.id, closeCode: await session.sentCloseCode)
    }

    private static let sessionIdAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A new random session id (`s_` and 20 base-62 characters).
    static func makeSessionId() -> String {
        var generator = SystemRandomNumberGenerator()
        return "s_" + String((0..<20).map { _ in sessionIdAlphabet.randomElement(using: &generator)! })
    }
}

/// Refuses an upgrade before it switches protocols, with the error's status and problem body:
/// `unauthorized`/`token_expired` (AUTH-1, AUTH-2), `forbidden` without a device (AUTH-6),
/// `unavailable` during shutdown (WS-2), `unsupported_protocol_version` without the subprotocol or
/// without an upgrade at all (WS-1), `rate_limited` past the sessions allowed per device or tenant
/// (LIM-6). On success it hands the principal to the session through the context.
struct UpgradeChecks: RouterMiddleware {
    typealias Context = SyncRequestContext

    let authenticate: Authenticator
    let registry: SessionRegistry
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal = try await authenticate(try BearerToken.forUpgrade(request))
        try Access.device.check(principal)
        guard await !registry.isDraining else {
            throw ServiceError(.unavailable, "the server is shutting down; connect to another node")
        }
        guard ProblemMiddleware.isUpgrade(request) else {
            throw ServiceError(.unsupportedProtocolVersion, "\(ProtocolInfo.websocketPath) is served as a WebSocket only; send an upgrade request")
        }
        guard Self.offersSubprotocol(request.headers) else {
            throw ServiceError(.unsupportedProtocolVersion, "offer the \(ProtocolInfo.subprotocol) subprotocol in Sec-WebSocket-Protocol")
        }
        try limiter.checkSessionRoom(principal)
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// Whether `Sec-WebSocket-Protocol` lists the protocol's subprotocol.
    static func offersSubprotocol(_ headers: HTTPFields) -> Bool {
        headers[values: .secWebSocketProtocol].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == ProtocolInfo.subprotocol }
        }
    }
}
