public import Logging

/// Everything the `sync-server serve` command decides before the server starts: where to
/// listen, where the data lives, how tokens are checked, the limits, and the test-control
/// switch. The HTTP application takes one of these; `validate()` checks it as a whole.
public struct ServerConfiguration: Sendable, CustomStringConvertible {
    /// The default listen address: loopback only.
    public static let defaultHost = "127.0.0.1"
    /// The default port.
    public static let defaultPort = 8080
    /// The default data folder (uploads, temporary chunks).
    public static let defaultDataDirectory = "./data"
    /// The default SQLite database file.
    public static let defaultDatabasePath = "./data/sync.sqlite"

    /// The address to listen on, such as `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// The database.
    public var database: DatabaseLocation
    /// The folder for uploaded files and their temporary chunks.
    public var dataDirectory: String
    /// Token verification.
    public var auth: AuthConfiguration
    /// Limits raised above the spec's values, if any.
    public var limits: Limits
    /// Upload expiry, cleanup interval and storage quota.
    public var uploads: Uploads
    /// The connection cap and the timeouts of idle and half-sent connections.
    public var connections: Connections
    /// Whether the spec's test-control endpoints (reset, seed, clock) are enabled (TEST-1).
    public var testControl: Bool
    /// Whether test control may be enabled on a host other than loopback.
    public var allowTestControlOnPublicHost: Bool
    /// Local development mode: the well-known development secret when no key is given; loopback
    /// hosts only.
    public var development: Bool
    /// The lowest level of log messages written.
    public var logLevel: Logger.Level
    /// Request rates and WebSocket sessions allowed per device and per tenant (LIM-4).
    public var rateLimits: RateLimitSettings = .defaults
    /// The certificate and key for HTTPS and WSS; `nil` serves plain HTTP.
    public var tls: TLS?
    /// Completed push batches each node keeps in memory, so a replay needs no database read;
    /// older ones are read from the database (the window stays 24 hours either way).
    public var idempotencyCacheEntries: Int64 = ServerConfiguration.defaultIdempotencyCacheEntries
    /// The default `idempotencyCacheEntries`.
    public static let defaultIdempotencyCacheEntries: Int64 = 10_000
    /// The accepted `idempotencyCacheEntries`.
    public static let idempotencyCacheEntriesRange: ClosedRange<Int64> = 2...10_000_000

    /// Creates a configuration; every value but the auth settings has a default.
    public init(host: String = ServerConfiguration.defaultHost, port: Int = ServerConfiguration.defaultPort,
                database: DatabaseLocation = DatabaseLocation(sqlitePath: Self.defaultDatabasePath),
                dataDirectory: String = ServerConfiguration.defaultDataDirectory, auth: AuthConfiguration,
                limits: Limits = Limits(), uploads: Uploads = Uploads(), connections: Connections = Connections(), testControl: Bool = false, allowTestControlOnPublicHost: Bool = false,
                development: Bool = false, logLevel: Logger.Level = .info) {
        self.host = host
        self.port = port
        self.database = database
        self.dataDirectory = dataDirectory
        self.auth = auth
        self.limits = limits
        self.uploads = uploads
        self.connections = connections
        self.testControl = testControl
        self.allowTestControlOnPublicHost = allowTestControlOnPublicHost
        self.development = development
        self.logLevel = logLevel
    }

    /// Checks the configuration as a whole; the error's message says how to fix it.
    public func validate() throws(ConfigurationError) {
        if host.isEmpty { throw ConfigurationError(.invalidValue, "the host is empty; use 127.0.0.1, or 0.0.0.0 for every interface") }
        if !(0...65535).contains(port) { throw ConfigurationError(.invalidValue, "the port must be 0 to 65535, not \(port)") }
        if dataDirectory.isEmpty { throw ConfigurationError(.invalidValue, "the data directory is empty") }
        try limits.validate()
        try uploads.validate()
        try connections.validate()
        if !Self.idempotencyCacheEntriesRange.contains(idempotencyCacheEntries) {
            let range = Self.idempotencyCacheEntriesRange
            throw ConfigurationError(.invalidValue, "the idempotency cache must hold \(range.lowerBound) to \(range.upperBound) entries, not \(idempotencyCacheEntries)")
        }
        try auth.validate()
        _ = try tls?.serverConfiguration()
        let loopback = HostAddress.isLoopback(host)
        if development, !loopback {
            throw ConfigurationError(.unsafeHost, """
                --dev uses a publicly known JWT secret, so it only listens on a loopback host \
                (127.0.0.1, ::1, localhost), not \(host). Drop --dev and set a real secret to listen on \(host).
                """)
        }
        if testControl, !loopback, !allowTestControlOnPublicHost {
            throw ConfigurationError(.unsafeHost, """
                test control lets any token of a tenant wipe that tenant's data and move its clock, so it \
                is refused on \(host), which other machines can reach. Listen on 127.0.0.1, or add \
                --allow-test-control-on-public-host if \(host) is on an isolated test network.
                """)
        }
    }

    /// A summary for the startup log; never contains secrets or keys.
    public var description: String {
        """
        listen:        \(host):\(port) \(tls.map { "(TLS 1.2+, certificate \($0.certificatePath))" } ?? "(plain HTTP)")
        database:      \(database)
        data dir:      \(dataDirectory)
        auth:          \(auth)
        limits:        max frame \(limits.maxFrameBytes) bytes, max \(limits.maxMutationsPerPush) mutations per push, \
        heartbeat \(limits.heartbeatIntervalSeconds) s, timeout \(limits.heartbeatTimeoutSeconds) s
        uploads:       expiry \(uploads.expirySeconds) s, cleanup every \(uploads.cleanupIntervalSeconds) s, \
        quota \(uploads.storageQuotaBytes > 0 ? "\(uploads.storageQuotaBytes) bytes" : "none")
        connections:   at most \(connections.maxConnections), request head within \(connections.requestTimeoutSeconds) s, \
        idle \(connections.idleTimeoutSeconds) s
        rate limits:   \(rateLimits.summary)
        replay cache:  \(idempotencyCacheEntries) batches in memory
        test control:  \(testControl ? "ENABLED" : "disabled")
        mode:          \(development ? "development (not for production)" : "production")
        log level:     \(logLevel)
        """
    }
}

extension ServerConfiguration {
    /// The log level names `logLevel(named:)` accepts, from the most to the least verbose.
    public static let logLevelNames: [String] = Logger.Level.allCases.map(\.rawValue)

    /// The log level with this name (`trace`, `debug`, `info`, `notice`, `warning`, `error`,
    /// `critical`; any case), or `nil`.
    public static func logLevel(named name: String) -> Logger.Level? {
        Logger.Level(rawValue: name.lowercased())
    }
}
