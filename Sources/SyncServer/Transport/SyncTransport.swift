public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
public import ServiceLifecycle
import SyncProtocol

/// The reference server's HTTP and WebSocket front end: one router serving the REST endpoints,
/// `/health`, `/metrics` and the WebSocket upgrade at `/v1/sync`, on top of a `SyncService` (and,
/// when given, an `UploadService` for the upload and download endpoints). Run it as a
/// `Service`: on graceful shutdown it first ends every WebSocket session (requests already received
/// are answered, then `unavailable` and close 1001) and only then stops the HTTP server.
public struct SyncTransport: Service {
    private let app: Application<RouterResponder<SyncRequestContext>>
    /// The open WebSocket sessions, drained on shutdown.
    let registry: SessionRegistry
    private let logger: Logger

    /// Builds the routes and the server; nothing listens until `run()`.
    public init(service: any SyncService, uploads: (any UploadService)? = nil, authenticate: @escaping Authenticator,
                configuration: TransportConfiguration) {
        let logger = configuration.logger
        let registry = SessionRegistry(metrics: configuration.metrics)
        let limiter = RateLimiter(settings: configuration.rateLimits)
        let reader = RequestReader(authenticate: authenticate, maxBodyBytes: configuration.limits.maxBodyBytes, limiter: limiter)
        var endpoints: [EndpointDescriptor] = [
            Endpoints.health, Endpoints.getLimits, Endpoints.pushBatch, Endpoints.pullChanges, Endpoints.ackCursor, Endpoints.getCursor,
            Endpoints.getPolicies, Endpoints.setDefaultPolicy, Endpoints.setCollectionPolicy, Endpoints.deleteCollectionPolicy,
            Endpoints.listReviews, Endpoints.getReview, Endpoints.resolveReview, Endpoints.listAuditLog,
            Endpoints.getDeviceHealth, Endpoints.listDeviceHealth, Endpoints.getTenantAnalytics, Endpoints.metrics,
        ]
        if uploads != nil {
            endpoints += [Endpoints.initUpload, Endpoints.uploadChunk, Endpoints.getUploadStatus, Endpoints.finalizeUpload,
                          Endpoints.cancelUpload, Endpoints.downloadFile]
        }
        if configuration.testControlEnabled {
            endpoints += [Endpoints.resetTenant, Endpoints.seedRecords, Endpoints.setClock, Endpoints.getClock, Endpoints.setRateLimit]
        }

        let router = Router(context: SyncRequestContext.self)
        for intercept in configuration.interceptors { router.add(middleware: InterceptorMiddleware(intercept: intercept)) }
        router.add(middleware: HTTPMetricsMiddleware(metrics: configuration.metrics))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ProblemMiddleware(catalog: RouteCatalog(endpoints: endpoints)))
        HealthRoute(serverVersion: configuration.serverVersion, databaseStatus: configuration.databaseStatus).register(on: router)
        LimitsRoute(limits: configuration.serverLimits, reader: reader).register(on: router)
        SyncRoutes(service: service, reader: reader).register(on: router)
        PolicyRoutes(service: service, reader: reader).register(on: router)
        ReviewRoutes(service: service, reader: reader).register(on: router)
        AuditRoutes(service: service, reader: reader).register(on: router)
        HealthRoutes(service: service, reader: reader).register(on: router)
        MetricsRoute(metrics: configuration.metrics).register(on: router)
        if let uploads {
            UploadRoutes(uploads: uploads, reader: reader).register(on: router)
            DownloadRoute(uploads: uploads, reader: reader).register(on: router)
        }
        if configuration.testControlEnabled {
            logger.warning("test control is enabled: /v1/test endpoints can erase tenants and move their clocks (TEST-1)")
            TestControlRoutes(service: service, uploads: uploads, reader: reader, limiter: limiter).register(on: router)
        }
        WebSocketRoute(service: service, authenticate: authenticate, limits: configuration.limits, registry: registry, limiter: limiter,
                       tenantClocksMove: configuration.testControlEnabled)
            .register(on: router)

        // Frames up to the decoder's limit reach the session, which answers those over
        // max_frame_bytes with `frame_too_large` (LIM-1) and can still read their request id;
        // larger ones get the same answer from the frame-header guard, before anything buffers them.
        let maxFrameSize = min(Int(Int32.max), max(configuration.limits.maxFrameBytes * 2, 1 << 16))
        let frames = FrameHeaderGuard.Settings(maxFrameSize: maxFrameSize, maxFrameBytes: configuration.limits.maxFrameBytes)
        let webSocket = WebSocketServerConfiguration(
            maxFrameSize: maxFrameSize,
            autoPing: .disabled,
            closeTimeout: configuration.limits.closeTimeout,
            validateUTF8: false
        )
        let webSocketResponder = router.buildResponder()
        let counter = ConnectionCounter(limit: configuration.limits.maxConnections, metrics: configuration.metrics, logger: logger)
        let http1 = HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.limits.idleTimeout))
        let headTimeout = TimeAmount(configuration.limits.requestHeadTimeout)
        let tls = configuration.tls
        // Test interceptors see every request, so the gate stays out when there are any.
        let gate = configuration.knownPrincipal.flatMap { knownPrincipal in
            configuration.interceptors.isEmpty
                ? RateLimitGate.Settings(limiter: limiter, knownPrincipal: knownPrincipal, metrics: configuration.metrics, logger: logger)
                : nil
        }
        let server = HTTPServerBuilder { responder in
            let guarded = GuardedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                    configuration: .init(http1: http1, ws: webSocket)),
                counter: counter, requestHeadTimeout: headTimeout, gate: gate, frames: frames)
            guard let tls else { return guarded }
            return try TLSChannel(guarded, tlsConfiguration: tls)
        }
        app = Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [onServerRunning = configuration.onServerRunning] channel in
                await onServerRunning?(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        self.registry = registry
        self.logger = logger
    }

    /// The Hummingbird application (routes and upgrades), for `app.test(.router)` and `.live`.
    /// Running it alone skips the session drain on shutdown; production runs `run()`.
    public var application: some ApplicationProtocol { app }

    /// Ends every open WebSocket session as a graceful shutdown does, and refuses new upgrades.
    public func drainSessions() async {
        await registry.drain()
    }

    /// Serves until graceful shutdown; sessions are drained before the HTTP server stops, because
    /// a service group shuts its services down in reverse order.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(services: [app, registry], logger: logger))
        try await group.run()
    }
}
