import ArgumentParser
import Foundation
import SyncServer

/// Where the server listens.
struct ListenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address to listen on; 0.0.0.0 for every interface. Env SYNC_HOST, default 127.0.0.1.",
                               valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("TCP port; 0 picks a free one. Env SYNC_PORT, default 8080.", valueName: "number"))
    var port: Int64?

    @Option(help: ArgumentHelp("""
        Serve HTTPS and WSS with this PEM certificate (chain) file; needs --tls-key. TLS 1.2 or \
        later, 1.3 preferred. Env SYNC_TLS_CERT, default none (plain HTTP).
        """, valueName: "path"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The unencrypted PEM private key of --tls-cert. Env SYNC_TLS_KEY.", valueName: "path"))
    var tlsKey: String?
}

/// Where the data lives.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("""
        SQLite database file, created if missing. Env SYNC_DB, default ./data/sync.sqlite.
        """, valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("""
        PostgreSQL database instead of SQLite: \
        postgres://user:password@host:5432/database (?sslmode=disable, \
        prefer or require; ?host=/socket/folder for a Unix socket). The database must exist; \
        the server creates its tables. Prefer the environment variable: a flag shows in the \
        process list. Env SYNC_DATABASE_URL.
        """, valueName: "url"))
    var databaseURL: String?

    @Option(help: ArgumentHelp("""
        Completed push batches kept in memory, so that a replay reads no database; older ones \
        are read from the database. 2 to 10000000. Env SYNC_IDEMPOTENCY_CACHE_ENTRIES, default 10000.
        """, valueName: "count"))
    var idempotencyCacheEntries: Int64?

    /// Where the data is: --db or --database-url (a flag beats a variable); naming both at the
    /// same level is refused.
    func location(_ source: SettingSource) throws -> DatabaseLocation {
        let sqlite: String?
        let postgres: String?
        if database != nil || databaseURL != nil {
            (sqlite, postgres) = (database, databaseURL)
        } else {
            (sqlite, postgres) = (source.string(nil, "SYNC_DB"), source.string(nil, "SYNC_DATABASE_URL"))
        }
        switch (sqlite, postgres) {
        case (_?, _?):
            throw ValidationError("Give either a SQLite file (--db, SYNC_DB) or a PostgreSQL URL (--database-url, SYNC_DATABASE_URL), not both.")
        case (nil, let url?):
            return DatabaseLocation(postgres: try PostgresURL(parsing: url))
        case (let path, nil):
            return try DatabaseLocation(parsing: path ?? ServerConfiguration.defaultDatabasePath)
        }
    }

    @Option(help: ArgumentHelp("Folder for uploaded files. Env SYNC_DATA_DIR, default ./data.", valueName: "path"))
    var dataDir: String?
}

/// How tokens are verified.
struct TokenVerificationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        HS256 secret, at least 32 bytes. Prefer the environment variable: a flag shows in the \
        process list. Env SYNC_JWT_SECRET.
        """, valueName: "secret"))
    var jwtSecret: String?

    @Option(help: ArgumentHelp("ES256 public key, a PEM file. Env SYNC_JWT_PUBLIC_KEY.", valueName: "path"))
    var jwtPublicKey: String?

    @Option(help: ArgumentHelp("Clock leeway for exp and nbf, 0 to 60 seconds. Env SYNC_JWT_LEEWAY, default 0.",
                               valueName: "seconds"))
    var jwtLeeway: Int64?

    @Option(help: ArgumentHelp("Refuse tokens whose iss is not this. Env SYNC_JWT_ISSUER.", valueName: "issuer"))
    var jwtIssuer: String?

    @Option(help: ArgumentHelp("Refuse tokens whose aud does not include this. Env SYNC_JWT_AUDIENCE.", valueName: "audience"))
    var jwtAudience: String?

    @Flag(help: """
        Local development: without a secret or key, use the publicly known secret that \
        'sync-server token --dev' signs with. Loopback hosts only.
        """)
    var dev = false
}

/// Limits raised above the spec's values.
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Largest WebSocket message or JSON body, 1048576 to 67108864. Env SYNC_MAX_FRAME_BYTES, default 1048576.",
                               valueName: "bytes"))
    var maxFrameBytes: Int64?

    @Option(help: ArgumentHelp("Most mutations in one push, 500 to 10000. Env SYNC_MAX_MUTATIONS_PER_PUSH, default 500.", valueName: "count"))
    var maxMutationsPerPush: Int64?

    @Option(help: ArgumentHelp("Ping after this long without sending, 1 to 30. Env SYNC_HEARTBEAT_INTERVAL, default 30.",
                               valueName: "seconds"))
    var heartbeatInterval: Int64?

    @Option(help: ArgumentHelp("Close after this long without hearing from a client, 90 to 3600. Env SYNC_HEARTBEAT_TIMEOUT, default 90.",
                               valueName: "seconds"))
    var heartbeatTimeout: Int64?
}

/// Upload expiry, cleanup and storage quota.
struct UploadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Lifetime of an upload session, at least 86400 (24 h). Env SYNC_UPLOAD_EXPIRY, default 86400.
        """, valueName: "seconds"))
    var uploadExpiry: Int64?

    @Option(help: ArgumentHelp("""
        How often expired upload sessions and their chunks are deleted, 1 to 3600. \
        Env SYNC_UPLOAD_CLEANUP_INTERVAL, default 300.
        """, valueName: "seconds"))
    var uploadCleanupInterval: Int64?

    @Option(help: ArgumentHelp("""
        Bytes that one tenant's open uploads and stored files may take together; a new upload \
        beyond it is refused with storage_full. 0 for none. Env SYNC_STORAGE_QUOTA, default 0.
        """, valueName: "bytes"))
    var storageQuota: Int64?
}

/// The spec's test-control API.
struct TestControlOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: """
        Enable the test-control endpoints (reset a tenant, seed records, set its clock) for \
        conformance runs. Never in production. Env SYNC_TEST_CONTROL, default off.
        """)
    var testControl: Bool?

    @Flag(help: "Allow --test-control on a host other than loopback, such as an isolated test network.")
    var allowTestControlOnPublicHost = false
}

/// The connection cap and the timeouts of idle and half-sent connections.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Most connections open at once (HTTP and WebSocket); more are closed on arrival, with a \
        warning in the log. Keep it below the open-file limit. Env SYNC_MAX_CONNECTIONS, default 10000.
        """, valueName: "count"))
    var maxConnections: Int64?

    @Option(help: ArgumentHelp("""
        Seconds a new connection may take to send its first request head or WebSocket upgrade, \
        1 to 300. Env SYNC_REQUEST_TIMEOUT, default 30.
        """, valueName: "seconds"))
    var requestTimeout: Int64?

    @Option(help: ArgumentHelp("Seconds a keep-alive connection may sit idle, 1 to 3600. Env SYNC_IDLE_TIMEOUT, default 120.",
                               valueName: "seconds"))
    var idleTimeout: Int64?
}

/// Request rates and sessions allowed per device and per tenant.
struct RateLimitOptions: ParsableArguments {
    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("""
        Replace one rate limit: SCOPE.CLASS=PER_MINUTE/BURST or SCOPE.CLASS=off, SCOPE device         or tenant, CLASS push, pull, uploads or operator (device.push=600/100: each device         600 pushes a minute, 100 at once). Repeat for several. Env SYNC_RATE_LIMITS, the same         rules separated by commas. Defaults: device push 6000/1000, pull and uploads         12000/1000, operator 6000/500; tenant push 120000/10000, pull and uploads         240000/20000, operator 60000/5000.
        """, valueName: "rule"))
    var rateLimits: [String] = []

    @Flag(help: "No rate or session limits at all (benchmarks of the server's own capacity). Env SYNC_NO_RATE_LIMITS=1.")
    var noRateLimits = false

    @Option(help: ArgumentHelp("""
        Most WebSocket sessions one device may hold open, 0 for no limit. Env         SYNC_MAX_SESSIONS_PER_DEVICE, default 16.
        """, valueName: "count"))
    var maxSessionsPerDevice: Int64?

    @Option(help: ArgumentHelp("""
        Most WebSocket sessions one tenant may hold open, 0 for no limit. Env         SYNC_MAX_SESSIONS_PER_TENANT, default 10000.
        """, valueName: "count"))
    var maxSessionsPerTenant: Int64?
}
