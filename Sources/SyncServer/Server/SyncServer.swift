import Foundation
public import Logging
import ServiceLifecycle
import SyncProtocol

/// The whole reference server assembled from a `ServerConfiguration`: the SQLite or PostgreSQL
/// store (migrated), the sync engine, the upload manager (bytes under the data directory), token
/// verification, the HTTP and WebSocket transport, the idempotency janitor, the upload janitor
/// and the health/analytics flusher, run as one `ServiceGroup` that shuts down gracefully on
/// SIGTERM and SIGINT (transport first: sessions drain and close with 1001; then the flusher
/// writes the last health events; then the janitors; then the store).
public enum SyncServer {
    /// Runs the server until a shutdown signal. `onListening` is told the bound port.
    public static func run(_ configuration: ServerConfiguration, logger: Logger,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await run(configuration, logger: logger, customization: ServerCustomization(), onListening: onListening)
    }

    /// Runs the server with parts wrapped by `customization` (test-only: fault injection).
    package static func run(_ configuration: ServerConfiguration, logger: Logger, customization: ServerCustomization,
                            onListening: @escaping @Sendable (Int) async -> Void) async throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let metrics = SyncMetrics()
        let store = try await configuration.database.openStore(observer: metrics, logger: logger)
        let verifier = try await configuration.auth.makeVerifier()
        metrics.readTotals(from: store, logger: logger)
        var engineConfiguration = EngineConfiguration(configuration.limits)
        engineConfiguration.idempotencyCacheEntries = Int(configuration.idempotencyCacheEntries)
        engineConfiguration.uploadExpirySeconds = configuration.uploads.expirySeconds
        let cursorKey: [UInt8]
        do {
            cursorKey = try await store.cursorKey()
        } catch {
            try? await store.close()
            throw error
        }
        let postgres = store as? PostgresSyncStore
        let engine = SyncEngine(store: customization.wrapStore(store), cursors: CursorCodec(key: cursorKey),
                                configuration: engineConfiguration, metrics: metrics, sharedDatabase: postgres != nil,
                                logger: logger)
        // Tenant clocks set through test control are kept in the database; without test control
        // every tenant runs on the real clock, whatever an earlier run left there.
        let clocks = configuration.testControl ? store as? any ClockStore : nil
        do {
            if let clocks { engine.clock.restore(try await clocks.clockOffsets()) }
        } catch {
            try? await store.close()
            throw error
        }
        // Finalized uploads, and sessions cancelled or expired (abandoned), feed analytics (HEALTH-3).
        let uploads = UploadManager(store: store, root: configuration.dataDirectory, clock: engine.clock,
                                    configuration: configuration.uploads.uploadConfiguration,
                                    onEvent: { tenant, event in engine.recordUpload(tenant: tenant, outcome: event.kind == .finalized ? .finalized : .abandoned) },
                                    logger: logger)
        do {
            // Other nodes may be writing to the shared data directory: spare an hour of their work.
            try await uploads.prepare(orphanGrace: postgres == nil ? .zero : .seconds(3600))
        } catch {
            try? await store.close()
            throw error
        }
        if configuration.development {
            logger.warning("no JWT key configured: using the public development secret; mint tokens with 'sync-server token --dev'. Never expose this server.")
        }
        var transportConfiguration = TransportConfiguration(
            host: configuration.host, port: configuration.port,
            limits: TransportLimits(configuration.limits, connections: configuration.connections),
            testControlEnabled: configuration.testControl, serverVersion: ProtocolInfo.version,
            serverLimits: engineConfiguration.serverLimits,
            databaseStatus: { await databaseStatus(store) }, logger: logger, metrics: metrics)
        transportConfiguration.onServerRunning = onListening
        transportConfiguration.rateLimits = configuration.rateLimits
        transportConfiguration.tls = try configuration.tls?.serverConfiguration()
        transportConfiguration.interceptors = customization.interceptors
        let tokens = VerifiedTokenCache()
        let authenticate: Authenticator = { token throws(ServiceError) in
            try await tokens.principal(for: token, now: engine.now(tenant:)) { () async throws(ServiceError) in
                try await verifier.check(token, now: engine.now(tenant:))
            }
        }
        if !customization.wrapsAuthenticator {
            transportConfiguration.knownPrincipal = { token in tokens.cachedPrincipal(for: token, now: engine.now(tenant:)) }
        }
        let transport = SyncTransport(
            service: customization.wrapService(engine),
            uploads: uploads,
            authenticate: customization.wrapAuthenticator(authenticate),
            configuration: transportConfiguration)
        let janitor = IdempotencyJanitor(store: store, clock: engine.clock, windowMilliseconds: engine.configuration.idempotencyWindowMs, logger: logger)
        let uploadJanitor = UploadJanitor(uploads: uploads, logger: logger)
        let flusher = ActivityFlusher(recorder: engine.activity, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: store), .init(service: janitor), .init(service: uploadJanitor), .init(service: flusher)]
        if let postgres {
            services.append(.init(service: PeerRelay(engine: engine, clocks: clocks, events: { postgres.peerEvents() })))
        }
        services.append(.init(service: transport))
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Whether the database answers, for `/health`.
    private static func databaseStatus(_ store: any SyncStore) async -> ServiceStatus {
        do {
            _ = try await store.latestPosition(tenant: "")
            return .ok
        } catch {
            return .unavailable
        }
    }
}

extension EngineConfiguration {
    /// The engine's limits from the server's (overrides may only loosen the spec's values); its
    /// `serverLimits` are what `welcome.limits` announces.
    package init(_ limits: ServerConfiguration.Limits) {
        self.init()
        maxFrameBytes = limits.maxFrameBytes
        maxMutationsPerPush = limits.maxMutationsPerPush
        heartbeatIntervalMs = limits.heartbeatIntervalSeconds * 1000
        heartbeatTimeoutMs = limits.heartbeatTimeoutSeconds * 1000
    }
}

extension TransportLimits {
    /// The transport's limits from the server's limits and connection settings.
    init(_ limits: ServerConfiguration.Limits, connections: ServerConfiguration.Connections) {
        self.init(maxFrameBytes: Int(limits.maxFrameBytes), maxBodyBytes: Int(limits.maxFrameBytes),
                  heartbeatInterval: .seconds(limits.heartbeatIntervalSeconds), heartbeatTimeout: .seconds(limits.heartbeatTimeoutSeconds),
                  maxConnections: Int(connections.maxConnections), requestHeadTimeout: .seconds(connections.requestTimeoutSeconds),
                  idleTimeout: .seconds(connections.idleTimeoutSeconds))
    }
}
