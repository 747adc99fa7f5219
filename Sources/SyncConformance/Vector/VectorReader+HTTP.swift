import Foundation
import SyncSpec

extension VectorReader {
    func http(_ body: YAMLNode, step: YAMLMap) -> HTTPStep? {
        guard let map = YAMLMap(body, what: "'http'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let method = (map.string("method") ?? "GET").uppercased()
        let path = map.string("path", required: true) ?? "/"
        let auth = map.string("auth") ?? "bearer"
        if !["bearer", "none"].contains(auth) { sink.error(map.value("auth")?.location, "auth must be bearer or none") }
        var bodies: [HTTPBody] = []
        if let json = map.value("json") { bodies.append(.json(json.json)) }
        if let text = map.string("text") { bodies.append(.text(text)) }
        if let base64 = map.string("body_base64") { bodies.append(.base64(base64)) }
        if let blob = map.value("body") { blobSlice(blob, what: "'body'").map { bodies.append($0) } }
        if let generate = map.value("body_generate"), let inner = YAMLMap(generate, what: "'body_generate'", sink: sink) {
            bodies.append(.generated(repeat: inner.string("repeat", required: true) ?? "", times: inner.int("times", required: true) ?? 0))
            inner.rejectUnknownKeys()
        }
        if bodies.count > 1 { sink.error(map.location, "'http' takes at most one of json, text, body_base64, body, body_generate") }
        let expect = (map.value("expect") ?? step.value("expect")).flatMap(expectation)
        let actor = map.string("actor")
        if actor == nil, auth == "bearer", !map.members("headers").contains(where: { $0.key.lowercased() == "authorization" }) {
            sink.error(map.location, "'http' needs an actor unless auth is none or an Authorization header is given")
        }
        return HTTPStep(actor: actor, node: map.string("node"), method: method, path: path, query: map.members("query"), headers: map.members("headers"),
                        auth: auth, body: bodies.first, expect: expect)
    }

    func blobSlice(_ node: YAMLNode, what: String) -> HTTPBody? {
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        guard let name = map.string("blob", required: true) else { return nil }
        return .blob(name: name, offset: map.value("offset")?.json, length: map.value("length")?.json)
    }

    func expectation(_ node: YAMLNode) -> HTTPExpectation? {
        guard let map = YAMLMap(node, what: "an expected response", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let blob = map.value("body_blob").flatMap { blobSlice($0, what: "'body_blob'") }
        return HTTPExpectation(status: map.value("status")?.json, headers: map.members("headers"), json: map.value("json")?.json,
                               text: map.value("text")?.json, bodyBase64: map.string("body_base64"), bodyBlob: blob, mode: mode(map))
    }

    /// Collects `$capture` names defined and `${...}` names used anywhere under `node`, and
    /// reports unknown matchers.
    func scanCaptures(_ node: YAMLNode, definitions: inout [String], uses: inout [Located<String>]) {
        if let text = node.scalar {
            for name in Interpolation.references(in: text) { uses.append(Located(name, at: node.location)) }
            return
        }
        if let items = node.sequence {
            for item in items { scanCaptures(item, definitions: &definitions, uses: &uses) }
            return
        }
        let entries = node.entries ?? []
        if !entries.isEmpty, entries.allSatisfy({ $0.key.hasPrefix("$") }) {
            for entry in entries where !VectorFormat.matchers.contains(entry.key) {
                sink.error(entry.keyNode.location, "unknown matcher '\(entry.key)' (known: \(VectorFormat.matchers.joined(separator: ", ")))")
            }
            if let type = entries.first(where: { $0.key == "$type" })?.value, !VectorFormat.typeNames.contains(type.scalar ?? "") {
                sink.error(type.location, "$type must be one of \(VectorFormat.typeNames.joined(separator: ", "))")
            }
        }
        for entry in entries {
            if entry.key == "$capture", let name = entry.value.scalar {
                definitions.append(name)
            } else if entry.key == "$not" {
                // What matches inside `$not` is never kept, its named groups included.
                var discarded: [String] = []
                scanCaptures(entry.value, definitions: &discarded, uses: &uses)
            } else {
                scanCaptures(entry.value, definitions: &definitions, uses: &uses)
                if entry.key == "$regex", let pattern = entry.value.scalar { definitions += Matcher.groupNames(in: pattern) }
            }
        }
    }
}
