@testable import SyncServer
import SyncProtocol

/// An engine over an in-memory store with a controllable clock, and helpers to build pushes.
struct EngineHarness {
    static let start: Int64 = 1_800_000_000_000
    /// The key this harness's cursors are sealed with.
    static let cursorKey = [UInt8](repeating: 7, count: 32)
    let store = InMemorySyncStore()
    let engine: SyncEngine

    init(configuration: EngineConfiguration = EngineConfiguration()) {
        engine = SyncEngine(store: store, cursors: CursorCodec(key: Self.cursorKey), clock: TenantClock(realNow: { EngineHarness.start }), configuration: configuration)
    }

    /// An engine over `store` (a real one of the store suite), on this harness's fixed clock.
    static func engine(on store: any SyncStore, configuration: EngineConfiguration = EngineConfiguration()) async throws -> SyncEngine {
        SyncEngine(store: store, cursors: CursorCodec(key: try await store.cursorKey()), clock: TenantClock(realNow: { start }),
                   configuration: configuration)
    }

    static func device(_ device: String, tenant: String = "acme", roles: Set<String> = []) -> Principal {
        Principal(tenant: tenant, user: "u-\(device)", device: device, roles: roles)
    }

    static let operatorPrincipal = Principal(tenant: "acme", user: "ops", device: nil, roles: ["operator"])

    static func create(_ seq: Int64, _ id: String, _ fields: JSONObject, collection: String = "tasks", at time: Int64 = start) -> Mutation {
        Mutation(seq: seq, collection: collection, recordId: id, op: .create, baseVersion: 0, fields: fields, clientTime: time)
    }

    static func update(_ seq: Int64, _ id: String, base: Int64, _ fields: JSONObject, collection: String = "tasks", at time: Int64 = start) -> Mutation {
        Mutation(seq: seq, collection: collection, recordId: id, op: .update, baseVersion: base, fields: fields, clientTime: time)
    }

    static func delete(_ seq: Int64, _ id: String, base: Int64, collection: String = "tasks", at time: Int64 = start) -> Mutation {
        Mutation(seq: seq, collection: collection, recordId: id, op: .delete, baseVersion: base, clientTime: time)
    }

    /// Pushes with a fresh idempotency key.
    @discardableResult
    func push(_ principal: Principal, _ mutations: [Mutation], key: String? = nil, session: String? = nil) async throws(ServiceError) -> PushResult {
        try await engine.push(principal, idempotencyKey: key ?? "k-\(principal.device ?? "")-\(mutations.first?.seq ?? 0)-\(mutations.count)",
                              mutations: mutations, sessionId: session)
    }

    func hello(_ principal: Principal, cursor: String? = nil, version: String = ProtocolInfo.version) async throws(ServiceError) -> WelcomeMessage {
        try await engine.welcome(principal, hello: HelloMessage(protocolVersion: version,
            client: ClientInfo(platform: "ios", appVersion: "1.0.0", osVersion: "18.0", networkType: .wifi), cursor: cursor), sessionId: "s-\(principal.device ?? "")")
    }
}

/// The service error a throwing call produced, or `nil` when it succeeded.
func serviceError<T>(_ body: () async throws -> T) async -> ServiceError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? ServiceError ?? ServiceError(.internalError, "not a service error: \(error)")
    }
}
