import Foundation
import SyncSpec

/// Turns the YAML of one vector into the model, reporting every structural problem.
struct VectorReader {
    let sink: DiagnosticSink
    let file: String

    func vector(_ root: YAMLNode) -> Vector? {
        guard let map = YAMLMap(root, what: "a vector", sink: sink) else { return nil }
        let id = map.string("id", required: true) ?? ""
        let title = map.string("title", required: true) ?? ""
        let description = map.string("description")
        let requirements = map.strings("requirements")
        if map.value("requirements") == nil { sink.error(map.location, "a vector has no 'requirements'") }
        let level = map.string("level", required: true) ?? "MUST"
        let category = map.string("category", required: true) ?? ""
        let features = map.strings("features")
        let role = map.string("role") ?? "server"
        if !["server", "client"].contains(role) {
            sink.error(map.value("role")?.location, "role must be server or client, found '\(role)'")
        }
        let nodes = map.strings("nodes")
        let timeout = map.int("timeout_ms") ?? VectorFormat.defaultTimeoutMs
        let exclusive = map.bool("exclusive") ?? false
        if role == "client" {
            let script = clientScript(map)
            map.rejectUnknownKeys()
            return Vector(id: id, title: title, description: description, requirements: requirements, level: level,
                          category: category, features: features, role: role, nodes: nodes, timeoutMs: timeout, actors: [],
                          setup: [], blobs: [], steps: [], file: file, client: script, exclusive: exclusive)
        }
        let actors = map.value("actors").map(readActors) ?? []
        let setup = map.value("setup").map(readSetup) ?? []
        let blobs = map.value("blobs").map(readBlobs) ?? []
        var steps: [Step] = []
        if let node = map.value("steps", required: true) {
            if let items = node.sequence, !items.isEmpty {
                steps = items.compactMap(step)
            } else {
                sink.error(node.location, "'steps' must be a non-empty list")
            }
        }
        map.rejectUnknownKeys()
        return Vector(id: id, title: title, description: description, requirements: requirements, level: level,
                      category: category, features: features, role: role, nodes: nodes, timeoutMs: timeout, actors: actors,
                      setup: setup, blobs: blobs, steps: steps, file: file, exclusive: exclusive)
    }

    private func readActors(_ node: YAMLNode) -> [Actor] {
        guard let entries = node.entries else {
            sink.error(node.location, "'actors' must be a mapping of names to actors")
            return []
        }
        return entries.compactMap { entry in
            guard let map = YAMLMap(entry.value, what: "actor '\(entry.key)'", sink: sink) else { return nil }
            let actor = Actor(name: entry.key, tenant: map.string("tenant") ?? "main",
                              user: map.string("user", required: true) ?? "",
                              device: map.string("device"), roles: map.strings("roles").map(\.value),
                              expiresInS: map.int("expires_in_s") ?? 3600, notBeforeInS: map.int("not_before_in_s"),
                              claims: map.value("claims")?.json, forge: map.value("token").flatMap(readForgery),
                              location: entry.keyNode.location)
            if !VectorFormat.tenants.contains(actor.tenant) {
                sink.error(map.value("tenant")?.location, "tenant must be one of \(VectorFormat.tenants.joined(separator: ", "))")
            }
            map.rejectUnknownKeys()
            return actor
        }
    }

    private func readForgery(_ node: YAMLNode) -> TokenForgery? {
        guard let map = YAMLMap(node, what: "'token'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        if let alg = map.string("alg") {
            guard alg == "none" else {
                sink.error(map.location, "token.alg must be none")
                return nil
            }
            return .algNone
        }
        if let part = map.string("tamper") {
            guard ["header", "payload", "signature"].contains(part) else {
                sink.error(map.location, "token.tamper must be header, payload or signature")
                return nil
            }
            return .tamper(part)
        }
        if let raw = map.string("raw") { return .raw(raw) }
        sink.error(map.location, "'token' needs one of alg, tamper, raw")
        return nil
    }

    private func readSetup(_ node: YAMLNode) -> [TenantSetup] {
        guard let map = YAMLMap(node, what: "'setup'", sink: sink) else { return [] }
        var result = [tenantSetup(map, tenant: "main")]
        if let tenants = map.value("tenants") {
            for entry in tenants.entries ?? [] {
                if !VectorFormat.tenants.contains(entry.key) || entry.key == "main" {
                    sink.error(entry.keyNode.location, "setup.tenants keys must be other or third")
                }
                guard let inner = YAMLMap(entry.value, what: "setup of tenant '\(entry.key)'", sink: sink) else { continue }
                result.append(tenantSetup(inner, tenant: entry.key))
                inner.rejectUnknownKeys()
            }
            if tenants.entries == nil { sink.error(tenants.location, "setup.tenants must be a mapping") }
        }
        map.rejectUnknownKeys()
        return result
    }

    private func tenantSetup(_ map: YAMLMap, tenant: String) -> TenantSetup {
        let records = map.value("records")
        if let records, records.sequence == nil { sink.error(records.location, "setup records must be a list") }
        return TenantSetup(tenant: tenant, clock: map.value("clock")?.json, defaultPolicy: map.value("default_policy")?.json,
                           policies: map.members("policies"), records: records?.json)
    }

    private func readBlobs(_ node: YAMLNode) -> [BlobSpec] {
        guard let entries = node.entries else {
            sink.error(node.location, "'blobs' must be a mapping of names to blobs")
            return []
        }
        return entries.compactMap { entry in
            guard let map = YAMLMap(entry.value, what: "blob '\(entry.key)'", sink: sink) else { return nil }
            defer { map.rejectUnknownKeys() }
            guard let size = map.int("size", required: true), size >= 0 else { return nil }
            if let seed = map.int("seed") { return BlobSpec(name: entry.key, size: size, source: .seed(UInt64(bitPattern: Int64(seed)))) }
            if let fill = map.string("fill"), !fill.isEmpty { return BlobSpec(name: entry.key, size: size, source: .fill(fill)) }
            sink.error(map.location, "blob '\(entry.key)' needs a seed or a non-empty fill")
            return nil
        }
    }
}
