import Foundation
import Synchronization

/// The mutable state of one running vector: tenant ids, tokens, open connections, captures,
/// each tenant's clock offset, and the wire log. Shared by parallel branches, so it locks.
final class VectorSession: Sendable {
    struct State {
        var captures: [String: JSON] = [:]
        var tokens: [String: String] = [:]
        var connections: [String: WebSocketConnection] = [:]
        /// Server time minus local time per vector tenant, as last read from test control.
        var clockOffsetMs: [String: Int64] = [:]
    }

    let vector: Vector
    let target: TargetServer
    /// Other nodes of the implementation by name (`--node NAME=URL`).
    let nodes: [String: TargetServer]
    let tokens: TokenSource
    let tenantIds: [String: String]
    let recorder: WireRecorder
    let blobs: [String: BlobGenerator]
    private let state = Mutex(State())

    init(vector: Vector, target: TargetServer, nodes: [String: TargetServer] = [:], tokens: TokenSource, tenantPrefix: String,
         recorder: WireRecorder) {
        self.vector = vector
        self.target = target
        self.nodes = nodes
        self.tokens = tokens
        self.recorder = recorder
        var ids: [String: String] = [:]
        for tenant in vector.tenants { ids[tenant] = "\(tenantPrefix)-\(tenant)" }
        self.tenantIds = ids
        self.blobs = Dictionary(vector.blobs.map { ($0.name, BlobGenerator($0)) }, uniquingKeysWith: { first, _ in first })
    }

    var captures: [String: JSON] { state.withLock { $0.captures } }

    /// The server a step addresses: the named node, or the target.
    func target(node: String?) throws(StepFailure) -> TargetServer {
        guard let node else { return target }
        guard let server = nodes[node] else { throw .error("no node '\(node)' was given (--node \(node)=URL)") }
        return server
    }

    func store(captures: [String: JSON]) {
        state.withLock { $0.captures.merge(captures) { _, new in new } }
    }

    func connection(_ name: String) throws(StepFailure) -> WebSocketConnection {
        guard let connection = state.withLock({ $0.connections[name] }) else {
            throw .error("no open connection named '\(name)'")
        }
        return connection
    }

    func register(_ connection: WebSocketConnection) {
        let old = state.withLock { state in
            defer { state.connections[connection.name] = connection }
            return state.connections[connection.name]
        }
        old?.abort()
    }

    func remove(_ name: String) {
        _ = state.withLock { $0.connections.removeValue(forKey: name) }
    }

    /// Drops every connection (end of vector or timeout).
    func abortAll() {
        let all = state.withLock { state in
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for connection in all { connection.abort() }
    }

    func clockOffset(_ tenant: String) -> Int64 { state.withLock { $0.clockOffsetMs[tenant] ?? 0 } }

    func setClock(_ tenant: String, serverNowMs: Int64) {
        let local = Int64(Date().timeIntervalSince1970 * 1000)
        state.withLock { $0.clockOffsetMs[tenant] = serverNowMs - local }
    }

    func cachedToken(_ actor: String) -> String? { state.withLock { $0.tokens[actor] } }

    func cache(token: String, for actor: String) { state.withLock { $0.tokens[actor] = token } }

    /// The interpolation scope: captures, actors (tokens minted so far), tenants, blobs.
    func scope(nowMs: Int64?) -> InterpolationScope {
        let snapshot = state.withLock { $0 }
        var actors: [String: JSON] = [:]
        for actor in vector.actors {
            var members = [JSON.Member("user", .string(actor.user)), JSON.Member("tenant", .string(tenantIds[actor.tenant] ?? actor.tenant))]
            members.append(JSON.Member("device", actor.device.map(JSON.string) ?? .null))
            if let token = snapshot.tokens[actor.name] { members.append(JSON.Member("token", .string(token))) }
            actors[actor.name] = .object(members)
        }
        let blobs = self.blobs
        return InterpolationScope(captures: snapshot.captures, actors: actors, tenants: tenantIds, nowMs: nowMs) { name, range, property in
            guard let blob = blobs[name] else { throw InterpolationError(expression: "blob.\(name)", reason: "no such blob") }
            return try blob.value(property, range: range)
        }
    }
}
