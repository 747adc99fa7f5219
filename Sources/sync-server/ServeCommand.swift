import ArgumentParser
import Foundation
import SyncServer

/// `sync-server serve`: checks the settings and starts the server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (the default command).",
        discussion: """
            Every setting can come from a flag or an environment variable (named in its help); \
            a flag beats the variable, the variable beats the default.

            Clients authenticate with JWTs. The server needs a key to check them: SYNC_JWT_SECRET \
            for HS256 (a random secret of at least 32 bytes), SYNC_JWT_PUBLIC_KEY for ES256 (a PEM \
            file), or both. Without one it refuses to start. To make an ES256 key pair (the \
            private key signs tokens, see 'sync-server token --help'):
              openssl ecparam -name prime256v1 -genkey -noout -out es256.pem
              openssl ec -in es256.pem -pubout -out es256.pub.pem

            On your own machine:
              swift run sync-server --dev
              swift run sync-server token --dev --tenant acme --user alice --device phone-1

            In production:
              export SYNC_JWT_SECRET="$(openssl rand -base64 32)"
              sync-server serve --host 0.0.0.0 --db /var/lib/mobilesync/sync.sqlite \\
                --data-dir /var/lib/mobilesync

            With PostgreSQL, on as many nodes as you like behind one load balancer, each with \
            the same --data-dir on shared storage:
              export SYNC_DATABASE_URL="postgres://sync:$PASSWORD@db.internal:5432/mobilesync"
              sync-server migrate
              sync-server serve --host 0.0.0.0 --data-dir /mnt/shared/mobilesync

            For a conformance run, add --test-control (refused on a public host unless \
            --allow-test-control-on-public-host).

            Exit codes: 0 after a clean shutdown, 64 for a setting that is not usable (the \
            message says which and how to fix it), 1 when the server fails.
            """
    )

    @OptionGroup(title: "Listening") var listen: ListenOptions
    @OptionGroup(title: "Storage") var storage: StorageOptions
    @OptionGroup(title: "Tokens") var tokens: TokenVerificationOptions
    @OptionGroup(title: "Limits (default: the spec's; may only be raised)") var limits: LimitOptions
    @OptionGroup(title: "Connections") var connections: ConnectionOptions
    @OptionGroup(title: "Rate limits") var rates: RateLimitOptions
    @OptionGroup(title: "Uploads") var uploads: UploadOptions
    @OptionGroup(title: "Test control") var testControl: TestControlOptions

    @Option(help: ArgumentHelp("""
        trace, debug, info, notice, warning, error or critical. Env SYNC_LOG_LEVEL, default info.
        """, valueName: "level"))
    var logLevel: String?

    func validate() throws {
        _ = try configuration()
    }

    func run() async throws {
        try await runServer(configuration())
    }

    /// The server configuration these flags and the context's environment give, checked as a
    /// whole. Throws `ValidationError`, so a bad setting exits with the usage code (64).
    func configuration(context: CommandContext = .current) throws -> ServerConfiguration {
        let source = SettingSource(environment: context.environment)
        do {
            let host = source.string(listen.host, "SYNC_HOST") ?? ServerConfiguration.defaultHost
            let auth = try authConfiguration(source, host: host, readFile: context.readFile)
            var configuration = try ServerConfiguration(
                host: host,
                port: Int(source.integer(listen.port, "SYNC_PORT") ?? Int64(ServerConfiguration.defaultPort)),
                database: storage.location(source),
                dataDirectory: source.string(storage.dataDir, "SYNC_DATA_DIR") ?? ServerConfiguration.defaultDataDirectory,
                auth: auth,
                limits: limitConfiguration(source),
                uploads: uploadConfiguration(source),
                connections: connectionConfiguration(source),
                testControl: source.boolean(testControl.testControl, "SYNC_TEST_CONTROL") ?? false,
                allowTestControlOnPublicHost: testControl.allowTestControlOnPublicHost,
                development: tokens.dev || auth.hs256Secret == AuthConfiguration.developmentSecret)
            if let name = source.string(logLevel, "SYNC_LOG_LEVEL") {
                guard let level = ServerConfiguration.logLevel(named: name.trimmingWhitespace) else {
                    throw ValidationError("The log level must be one of \(ServerConfiguration.logLevelNames.joined(separator: ", ")), not '\(name)'.")
                }
                configuration.logLevel = level
            }
            configuration.rateLimits = try rateLimitSettings(source)
            configuration.idempotencyCacheEntries = try source.integer(storage.idempotencyCacheEntries, "SYNC_IDEMPOTENCY_CACHE_ENTRIES")
                ?? ServerConfiguration.defaultIdempotencyCacheEntries
            switch (source.string(listen.tlsCert, "SYNC_TLS_CERT"), source.string(listen.tlsKey, "SYNC_TLS_KEY")) {
            case (let certificate?, let key?):
                configuration.tls = ServerConfiguration.TLS(certificatePath: certificate, keyPath: key)
            case (nil, nil):
                break
            default:
                throw ValidationError("TLS needs both --tls-cert and --tls-key (or SYNC_TLS_CERT and SYNC_TLS_KEY).")
            }
            try configuration.validate()
            return configuration
        } catch let error as ConfigurationError {
            throw ValidationError(sentence(error.message))
        }
    }

    /// The token keys. With none configured on a loopback host, the server uses the public
    /// development secret (as `--dev` does), so `swift run sync-server` works with no setup; on
    /// any other host it refuses to start.
    private func authConfiguration(_ source: SettingSource, host: String, readFile: (String) throws -> String) throws -> AuthConfiguration {
        var secret = source.string(tokens.jwtSecret, "SYNC_JWT_SECRET")
        var publicKey: String?
        if let path = source.string(tokens.jwtPublicKey, "SYNC_JWT_PUBLIC_KEY") {
            do {
                publicKey = try readFile(path)
            } catch {
                throw ValidationError("Cannot read the ES256 public key file '\(path)' (--jwt-public-key or SYNC_JWT_PUBLIC_KEY).")
            }
        }
        if secret == nil, publicKey == nil, tokens.dev || HostAddress.isLoopback(host) { secret = AuthConfiguration.developmentSecret }
        return try AuthConfiguration(
            hs256Secret: secret, es256PublicKeyPEM: publicKey,
            leewaySeconds: source.integer(tokens.jwtLeeway, "SYNC_JWT_LEEWAY") ?? 0,
            issuer: source.string(tokens.jwtIssuer, "SYNC_JWT_ISSUER"),
            audience: source.string(tokens.jwtAudience, "SYNC_JWT_AUDIENCE"))
    }

    private func uploadConfiguration(_ source: SettingSource) throws -> ServerConfiguration.Uploads {
        let defaults = ServerConfiguration.Uploads()
        return try ServerConfiguration.Uploads(
            expirySeconds: source.integer(uploads.uploadExpiry, "SYNC_UPLOAD_EXPIRY") ?? defaults.expirySeconds,
            cleanupIntervalSeconds: source.integer(uploads.uploadCleanupInterval, "SYNC_UPLOAD_CLEANUP_INTERVAL")
                ?? defaults.cleanupIntervalSeconds,
            storageQuotaBytes: source.integer(uploads.storageQuota, "SYNC_STORAGE_QUOTA") ?? defaults.storageQuotaBytes)
    }

    private func connectionConfiguration(_ source: SettingSource) throws -> ServerConfiguration.Connections {
        let defaults = ServerConfiguration.Connections()
        return try ServerConfiguration.Connections(
            maxConnections: source.integer(connections.maxConnections, "SYNC_MAX_CONNECTIONS") ?? defaults.maxConnections,
            requestTimeoutSeconds: source.integer(connections.requestTimeout, "SYNC_REQUEST_TIMEOUT") ?? defaults.requestTimeoutSeconds,
            idleTimeoutSeconds: source.integer(connections.idleTimeout, "SYNC_IDLE_TIMEOUT") ?? defaults.idleTimeoutSeconds)
    }

    private func rateLimitSettings(_ source: SettingSource) throws -> RateLimitSettings {
        if try rates.noRateLimits || source.boolean(nil, "SYNC_NO_RATE_LIMITS") == true { return .unlimited }
        var settings = RateLimitSettings.defaults
        let rules = rates.rateLimits.isEmpty
            ? (source.string(nil, "SYNC_RATE_LIMITS") ?? "").split(separator: ",").map(String.init)
            : rates.rateLimits
        for rule in rules where !rule.trimmingWhitespace.isEmpty { try settings.apply(rule) }
        if let value = try source.integer(rates.maxSessionsPerDevice, "SYNC_MAX_SESSIONS_PER_DEVICE") {
            settings.maxSessionsPerDevice = try RateLimitSettings.sessionLimit(value, name: "sessions per device")
        }
        if let value = try source.integer(rates.maxSessionsPerTenant, "SYNC_MAX_SESSIONS_PER_TENANT") {
            settings.maxSessionsPerTenant = try RateLimitSettings.sessionLimit(value, name: "sessions per tenant")
        }
        return settings
    }

    private func limitConfiguration(_ source: SettingSource) throws -> ServerConfiguration.Limits {
        let defaults = ServerConfiguration.Limits()
        return try ServerConfiguration.Limits(
            maxFrameBytes: source.integer(limits.maxFrameBytes, "SYNC_MAX_FRAME_BYTES") ?? defaults.maxFrameBytes,
            maxMutationsPerPush: source.integer(limits.maxMutationsPerPush, "SYNC_MAX_MUTATIONS_PER_PUSH")
                ?? defaults.maxMutationsPerPush,
            heartbeatIntervalSeconds: source.integer(limits.heartbeatInterval, "SYNC_HEARTBEAT_INTERVAL")
                ?? defaults.heartbeatIntervalSeconds,
            heartbeatTimeoutSeconds: source.integer(limits.heartbeatTimeout, "SYNC_HEARTBEAT_TIMEOUT")
                ?? defaults.heartbeatTimeoutSeconds)
    }
}

/// A library message as a sentence: capitalised, ending with a full stop.
func sentence(_ message: String) -> String {
    guard let first = message.first else { return message }
    let capitalised = first.uppercased() + message.dropFirst()
    return capitalised.hasSuffix(".") ? capitalised : capitalised + "."
}
