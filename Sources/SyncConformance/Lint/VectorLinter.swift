import Foundation
public import SyncSpec

/// Semantic checks over loaded vectors: ids unique and equal to file names, requirement ids in
/// the spec, known vocabulary, actors, connections, blobs and captures defined before use.
public enum VectorLinter {
    /// Every problem found in `vectors` (already loaded without structural errors).
    public static func lint(_ vectors: [Vector], spec: ProtocolSpec?) -> [Diagnostic] {
        let sink = DiagnosticSink()
        var seen: [String: String] = [:]
        for vector in vectors {
            let start = SourceLocation(file: vector.file, line: 1, column: 1)
            if let first = seen[vector.id] {
                sink.error(start, "duplicate vector id '\(vector.id)' (also in \(first))")
            } else {
                seen[vector.id] = vector.file
            }
            lintHeader(vector, spec: spec, start: start, sink: sink)
            var context = LintContext(vector: vector, sink: sink)
            context.check(vector.steps)
        }
        return sink.diagnostics
    }

    private static func lintHeader(_ vector: Vector, spec: ProtocolSpec?, start: SourceLocation, sink: DiagnosticSink) {
        let url = URL(fileURLWithPath: vector.file)
        let name = url.deletingPathExtension().lastPathComponent
        if vector.id != name { sink.error(start, "id '\(vector.id)' must equal the file name '\(name)'") }
        if vector.id.range(of: VectorFormat.idPattern, options: .regularExpression) == nil {
            sink.error(start, "id '\(vector.id)' must match \(VectorFormat.idPattern)")
        }
        let folder = url.deletingLastPathComponent().lastPathComponent
        if !VectorFormat.categories.contains(vector.category) {
            sink.error(start, "unknown category '\(vector.category)' (known: \(VectorFormat.categories.joined(separator: ", ")))")
        } else if folder != vector.category {
            sink.error(start, "a vector of category '\(vector.category)' belongs in Vectors/\(vector.category)/, not \(folder)/")
        }
        if !VectorFormat.levels.contains(vector.level) { sink.error(start, "level must be MUST, SHOULD or MAY, found '\(vector.level)'") }
        if vector.title.isEmpty || vector.title.contains("\n") { sink.error(start, "title must be one non-empty line") }
        if vector.requirements.isEmpty { sink.error(start, "requirements must not be empty") }
        for requirement in vector.requirements {
            guard let spec else { continue }
            guard let found = spec.requirements.first(where: { $0.id == requirement.value }) else {
                sink.error(requirement.location, "unknown requirement '\(requirement.value)' (not in the spec)")
                continue
            }
            if vector.role == "client", !found.appliesTo.map(\.rawValue).contains("client") {
                sink.error(requirement.location, "'\(requirement.value)' does not bind clients (applies_to), but this vector tests a client")
            }
        }
        for feature in vector.features where !VectorFormat.features.contains(feature.value) {
            sink.error(feature.location, "unknown feature '\(feature.value)' (known: \(VectorFormat.features.joined(separator: ", ")))")
        }
        let declared = Set(vector.features.map(\.value) + ["test-control"])
        for implied in vector.neededFeatures where !declared.contains(implied) {
            sink.error(start, "the vector needs feature '\(implied)' (it \(implied == "clock-control" ? "moves the clock" : "forges tokens or sets claims")); add it to features")
        }
        if vector.timeoutMs <= 0 { sink.error(start, "timeout_ms must be positive") }
        for node in vector.nodes where node.value.range(of: VectorFormat.nodePattern, options: .regularExpression) == nil {
            sink.error(node.location, "node name '\(node.value)' must match \(VectorFormat.nodePattern)")
        }
        for actor in vector.actors where actor.user.isEmpty {
            sink.error(actor.location, "actor '\(actor.name)' needs a user")
        }
    }
}

/// Walks the steps in order, tracking connections and captures defined so far.
struct LintContext {
    let vector: Vector
    let sink: DiagnosticSink
    var captures: Set<String> = []
    var connections: Set<String> = []

    init(vector: Vector, sink: DiagnosticSink) {
        self.vector = vector
        self.sink = sink
    }

    mutating func check(_ steps: [Step]) {
        for step in steps {
            if case .parallel(let branches) = step.action {
                var merged = self
                for branch in branches {
                    var inner = self
                    inner.check(branch)
                    merged.captures.formUnion(inner.captures)
                    merged.connections.formUnion(inner.connections)
                }
                self = merged
                continue
            }
            checkUses(step)
            checkNames(step)
            captures.formUnion(step.captureDefinitions)
        }
    }

    /// A step's `node` must be one the vector declares in `nodes`.
    private func node(_ name: String?, at location: SourceLocation) {
        guard let name, !vector.nodes.contains(where: { $0.value == name }) else { return }
        sink.error(location, "node '\(name)' is not declared in the vector's nodes")
    }

    private func checkUses(_ step: Step) {
        for use in step.captureUses {
            let root = Interpolation.root(of: use.value)
            if captures.contains(root) { continue }
            if vector.actor(root) != nil || (VectorFormat.builtins.contains(root) && root != "blob") { continue }
            if root == "blob" {
                let name = use.value.dropFirst(5).prefix { $0 != "." && $0 != "[" }
                if vector.blob(String(name)) == nil { sink.error(use.location, "unknown blob '\(name)' in ${\(use.value)}") }
                continue
            }
            sink.error(use.location, "${\(use.value)} uses '\(root)' before any step captures it (and it is no actor or built-in)")
        }
    }

    private mutating func checkNames(_ step: Step) {
        func actor(_ name: String) {
            if vector.actor(name) == nil { sink.error(step.location, "unknown actor '\(name)' in \(step.kind)") }
        }
        func connection(_ name: String) {
            if !connections.contains(name) { sink.error(step.location, "no earlier ws_connect opens connection '\(name)'") }
        }
        func blob(_ body: HTTPBody?) {
            if case .blob(let name, _, _) = body, vector.blob(name) == nil { sink.error(step.location, "unknown blob '\(name)'") }
        }
        switch step.action {
        case .wsConnect(let connect):
            actor(connect.actor)
            node(connect.node, at: step.location)
            if connect.refusal == nil { connections.insert(connect.name) }
        case .send(let send): connection(send.conn)
        case .expect(let expect): connection(expect.conn)
        case .expectAnyOrder(let expect): connection(expect.conn)
        case .expectSilence(let conn, _): connection(conn)
        case .expectClose(let expect): connection(expect.conn)
        case .close(let conn, _): connection(conn)
        case .reading(let conn, _): connection(conn)
        case .http(let http):
            if let name = http.actor { actor(name) }
            node(http.node, at: step.location)
            blob(http.body)
            blob(http.expect?.bodyBlob)
        case .clock(let tenant, _):
            if !VectorFormat.tenants.contains(tenant) { sink.error(step.location, "unknown tenant '\(tenant)' in clock") }
        case .sleep, .parallel: break
        }
    }
}
