public import Logging
public import NIOSSL
public import SyncProtocol

/// Verifies a bearer token and says whom it belongs to. The transports call it for every REST
/// request and every WebSocket upgrade; it throws `unauthorized` or `token_expired` (or any other
/// registry code) to refuse. Injected so that tests can fake it and the JWT verifier stays apart.
public typealias Authenticator = @Sendable (_ token: String) async throws(ServiceError) -> Principal

/// How the HTTP and WebSocket front end of the reference server is set up.
public struct TransportConfiguration: Sendable {
    /// Interface to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one.
    public var port: Int
    /// Sizes and timings the transports enforce and announce.
    public var limits: TransportLimits
    /// Whether the `test-control` endpoints are served (TEST-1); when off they answer `not_found`.
    public var testControlEnabled: Bool
    /// Request rates and sessions allowed per device and per tenant (LIM-4).
    public var rateLimits: RateLimitSettings = .defaults
    /// The principal of a token verified before and still valid, found without verifying it
    /// again (`VerifiedTokenCache`). With it, `RateLimitGate` refuses a flooding device's pushes
    /// and pulls before they are routed; `nil` leaves every refusal to the routes.
    public var knownPrincipal: (@Sendable (_ token: String) -> Principal?)?
    /// Serve HTTPS and WSS with this configuration; `nil` for plain HTTP.
    public var tls: TLSConfiguration?
    /// Version of the server implementation, reported by `/health`.
    public var serverVersion: String
    /// The limits `getLimits` answers: the engine's, as `welcome` announces them (LIM-5).
    public var serverLimits: ServerLimits
    /// Reports the database's state for `/health`; `unavailable` makes the probe answer 503.
    public var databaseStatus: @Sendable () async -> ServiceStatus
    /// Where requests, sessions and failures are logged.
    public var logger: Logger
    /// The metrics `/metrics` serves and the open-session gauge counts into; share the engine's.
    public var metrics: SyncMetrics
    /// Told the bound port once the server listens (useful with port 0: tests, the CLI's output).
    package var onServerRunning: (@Sendable (_ port: Int) async -> Void)?
    /// Test-only interceptors run before the router's own middleware (`ServerCustomization`).
    package var interceptors: [HTTPInterceptor] = []

    /// Creates a configuration; the defaults are the spec's limits on `127.0.0.1:8080`.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        limits: TransportLimits = TransportLimits(),
        testControlEnabled: Bool = false,
        serverVersion: String = "0.1.0",
        serverLimits: ServerLimits = EngineConfiguration().serverLimits,
        databaseStatus: @escaping @Sendable () async -> ServiceStatus = { .ok },
        logger: Logger = Logger(label: "mobilesync.transport"),
        metrics: SyncMetrics = SyncMetrics()
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.testControlEnabled = testControlEnabled
        self.serverVersion = serverVersion
        self.serverLimits = serverLimits
        self.databaseStatus = databaseStatus
        self.logger = logger
        self.metrics = metrics
        knownPrincipal = nil
        onServerRunning = nil
    }
}

/// The sizes and timings the transports enforce. The defaults are the spec's values; a deployment
/// may loosen them (LIM-3), and tests shorten the timings.
public struct TransportLimits: Sendable, Hashable {
    /// Largest WebSocket message, after reassembly of fragments (`max_frame_bytes`).
    public var maxFrameBytes: Int
    /// Largest JSON request body of a REST endpoint (`max_frame_bytes` as well).
    public var maxBodyBytes: Int
    /// How long an established session may go without the server sending a frame before it
    /// sends a `ping` (`heartbeat_interval_seconds`, announced as `heartbeat_interval_ms`).
    public var heartbeatInterval: Duration
    /// How long the server waits without receiving any frame before it closes with
    /// `heartbeat_timeout` (`heartbeat_timeout_seconds`, announced as `heartbeat_timeout_ms`).
    public var heartbeatTimeout: Duration
    /// How long the server waits, once it decided to close a session, for its close frame to be
    /// written and answered before it drops the connection.
    public var closeTimeout: Duration
    /// How long a graceful shutdown waits for sessions to finish their in-flight requests.
    public var shutdownTimeout: Duration
    /// Most connections open at once; more are closed as they arrive.
    public var maxConnections: Int
    /// How long a new connection may take to send its first request head (or WebSocket upgrade).
    public var requestHeadTimeout: Duration
    /// How long a keep-alive connection may sit between requests, or in a request head after the first.
    public var idleTimeout: Duration
    /// Most bytes of messages waiting to be written on one session before it is closed as a slow
    /// consumer (`session_queue_bytes`, WS-14).
    public var sessionQueueBytes: Int
    /// Most messages waiting to be written on one session (`session_queue_messages`, WS-14).
    public var sessionQueueMessages: Int

    /// Creates limits; the defaults are the spec's values.
    public init(
        maxFrameBytes: Int = Int(Limits.maxFrameBytes),
        maxBodyBytes: Int = Int(Limits.maxFrameBytes),
        heartbeatInterval: Duration = .seconds(Limits.heartbeatIntervalSeconds),
        heartbeatTimeout: Duration = .seconds(Limits.heartbeatTimeoutSeconds),
        closeTimeout: Duration = .seconds(5),
        shutdownTimeout: Duration = .seconds(10),
        maxConnections: Int = 10_000,
        requestHeadTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(120),
        sessionQueueBytes: Int = Int(Limits.sessionQueueBytes),
        sessionQueueMessages: Int = Int(Limits.sessionQueueMessages)
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxBodyBytes = maxBodyBytes
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.closeTimeout = closeTimeout
        self.shutdownTimeout = shutdownTimeout
        self.maxConnections = maxConnections
        self.requestHeadTimeout = requestHeadTimeout
        self.idleTimeout = idleTimeout
        self.sessionQueueBytes = sessionQueueBytes
        self.sessionQueueMessages = sessionQueueMessages
    }
}
