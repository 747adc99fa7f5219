import SyncSpec

/// The YAML of one derived vector: a header saying it is generated, the vector's fields, and
/// steps that send the request and check the answer (and, after a refused push, that nothing
/// was applied).
enum DerivedVectorText {
    static let header = "# Derived from Spec/ by `sync-conformance derive`: do not edit, regenerate.\n"
    /// Opens actor `a`'s WebSocket and completes the handshake.
    static let connect = [
        "  - ws_connect: a",
        #"  - send: {conn: a, json: {"type":"hello","protocol_version":"1.0.0","client":{"platform":"ios","app_version":"1.0.0","os_version":"18.2","network_type":"wifi"}}}"#,
        "  - expect: {conn: a, json: {type: welcome}}",
    ]

    static func render(target: DerivedTarget, path: String, bound: BoundaryDeriver.Bound, value: Int64, accepted: Bool,
                       request: DerivedRequest, spec: ProtocolSpec) -> DerivedVector {
        let side = accepted ? "at" : (bound.isMax ? "over" : "under")
        let slug = "\(target.name)-\(path.replacingOccurrences(of: "[]", with: ""))-\(bound.kind.rawValue)-\(side)"
            .lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
        let id = "limits.derived-\(slug)"
        let field = path.components(separatedBy: ".").last ?? path
        let code = accepted ? nil : DerivedTarget.refusalCode(field: field, bound: bound)
        let named = bound.limit.map { "\($0) (\(bound.value))" } ?? "\(bound.value)"
        let what = "\(target.label): \(path) \(bound.kind.rawValue.replacingOccurrences(of: "-", with: " ")) \(named)"
        let title = accepted ? "\(what), at the bound (\(value)), is accepted"
            : "\(what), one \(bound.isMax ? "over" : "under") (\(value)), is refused with \(code ?? "")"
        let webSocket = target.transport == .webSocket
        var requirements = [webSocket ? "WS-4" : "ERR-1"]
        if bound.limit != nil { requirements.append(accepted ? "LIM-3" : "LIM-2") }
        if !accepted, target.checksNothingApplied { requirements.append("ERR-4") }
        var lines = preamble(id: id, title: title, description: "Generated from the constraint on \(target.source).\(path) in Spec/.",
                             requirements: requirements, target: target)
        // A refused request_id cannot be echoed in the error; any other request's is.
        let echo = accepted || path != "request_id"
        lines += webSocket ? webSocketSteps(target, request, code: code, echo: echo) : restSteps(target, request, code: code, spec: spec)
        return DerivedVector(id: id, text: header + lines.joined(separator: "\n") + "\n")
    }

    /// The vector's fields up to `steps:`.
    private static func preamble(id: String, title: String, description: String, requirements: [String], target: DerivedTarget) -> [String] {
        var lines = [
            "id: \(id)",
            "title: \(JSON.string(title).compact)",
            "description: \(JSON.string(description).compact)",
            "requirements: [\(requirements.joined(separator: ", "))]",
            "level: MUST",
            "category: limits",
        ]
        if !target.features.isEmpty { lines.append("features: [\(target.features.joined(separator: ", "))]") }
        lines.append("actors:")
        lines.append(target.roles.isEmpty ? "  a: {user: alice, device: phone-a}" : "  a: {user: admin, roles: [\(target.roles.joined(separator: ", "))]}")
        lines.append("steps:")
        return lines
    }

    /// A request with two fields beyond their bounds: `invalid_message` listing both paths.
    static func renderTwoViolations(target: DerivedTarget, paths: [(String, Int64)], request: DerivedRequest) -> DerivedVector {
        let id = "limits.derived-\(target.name)-two-violations"
        let wire = paths.map { path, _ in
            target.base == nil ? path : path.replacingOccurrences(of: "[]", with: "[0]")
        }
        let title = "\(target.label): \(paths.map { "\($0.0) = \($0.1)" }.joined(separator: " and ")) at once are refused with invalid_message listing both"
        let webSocket = target.transport == .webSocket
        let issues = JSON.object([.init("$unordered", .array(wire.map { .object([.init("path", .string($0))]) }))])
        var lines = preamble(id: id, title: title,
                             description: "Generated from two constraints of \(target.source) in Spec/: every violation is reported, not only the first.",
                             requirements: [webSocket ? "WS-4" : "ERR-1"], target: target)
        if webSocket {
            var expected: [JSON.Member] = [.init("type", .string("error")), .init("code", .string("invalid_message")), .init("details", issues)]
            if !paths.contains(where: { $0.0 == "request_id" }), let id = request.requestId { expected.append(.init("request_id", .string(id))) }
            lines += connect + [
                "  - send: {conn: a, json: \(request.body?.compact ?? "{}")}",
                "  - expect: {conn: a, json: \(JSON.object(expected).compact)}",
            ]
        } else {
            lines.append(restCall(target, request, expect: "{status: 400, json: \(JSON.object([.init("code", .string("invalid_message")), .init("errors", issues)]).compact)}"))
        }
        return DerivedVector(id: id, text: header + lines.joined(separator: "\n") + "\n")
    }

    private static func webSocketSteps(_ target: DerivedTarget, _ request: DerivedRequest, code: String?, echo: Bool) -> [String] {
        var expected: [JSON.Member]
        if let code {
            expected = [.init("type", .string("error")), .init("code", .string(code))]
        } else {
            guard case .reply(let type) = target.success else { return [] }
            expected = [.init("type", .string(type))]
            if type == "push_result" { expected += [.init("synced", .int(Int64(request.mutationCount))), .init("failed", .int(0))] }
        }
        if echo, let id = request.requestId { expected.append(.init("request_id", .string(id))) }
        var steps = connect + [
            "  - send: {conn: a, json: \(request.body?.compact ?? "{}")}",
            "  - expect: {conn: a, json: \(JSON.object(expected).compact)}",
        ]
        if code != nil, target.checksNothingApplied {
            steps += [
                #"  - send: {conn: a, json: {"type":"pull","request_id":"after"}}"#,
                #"  - expect: {conn: a, json: {"type":"changes","request_id":"after","changes":[]}}"#,
            ]
        }
        return steps
    }

    private static func restSteps(_ target: DerivedTarget, _ request: DerivedRequest, code: String?, spec: ProtocolSpec) -> [String] {
        let expect: String
        if let code {
            let status = spec.errors.first { $0.code == code }?.status ?? 400
            expect = "{status: \(status), json: {code: \(code)}}"
        } else {
            guard case .status(let status) = target.success else { return [] }
            expect = target.checksNothingApplied ? "{status: \(status), json: {synced: \(request.mutationCount), failed: 0}}" : "{status: \(status)}"
        }
        var steps = [restCall(target, request, expect: expect)]
        if code != nil, target.checksNothingApplied {
            steps.append(#"  - http: {actor: a, method: GET, path: /v1/sync/pull, expect: {status: 200, json: {changes: []}}}"#)
        }
        return steps
    }

    /// The `http` step sending `request` to the target's endpoint, expecting `expect`.
    private static func restCall(_ target: DerivedTarget, _ request: DerivedRequest, expect: String) -> String {
        guard case .rest(let method, let path) = target.transport else { return "" }
        let query = request.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var parts = ["actor: a", "method: \(method)", "path: \(JSON.string(query.isEmpty ? path : "\(path)?\(query)").compact)"]
        if !target.headers.isEmpty {
            parts.append("headers: {\(target.headers.map { "\(JSON.string($0.0).compact): \(JSON.string($0.1).compact)" }.joined(separator: ", "))}")
        }
        if let body = request.body { parts.append("json: \(body.compact)") }
        parts.append("expect: \(expect)")
        return "  - http: {\(parts.joined(separator: ", "))}"
    }
}
