import Foundation
import SyncSpec

extension VectorReader {
    static let actionKeys = ["ws_connect", "send", "expect", "expect_any_order", "expect_silence", "expect_close",
                             "close", "pause_reading", "resume_reading", "http", "clock", "sleep", "parallel"]

    func step(_ node: YAMLNode) -> Step? {
        guard let map = YAMLMap(node, what: "a step", sink: sink) else { return nil }
        let name = map.string("name")
        let timeout = map.int("timeout_ms")
        let keys = map.entries.map(\.key).filter { Self.actionKeys.contains($0) }
        let kind: String?
        if keys.contains("http") {
            kind = "http"
        } else if keys.count == 1 {
            kind = keys[0]
        } else {
            sink.error(node.location, keys.isEmpty
                ? "a step needs one of \(Self.actionKeys.joined(separator: ", "))"
                : "a step has more than one action (\(keys.joined(separator: ", ")))")
            kind = nil
        }
        guard let kind, let body = map.value(kind) else { return nil }
        let action = self.action(kind, body, step: map)
        map.rejectUnknownKeys()
        guard let action else { return nil }
        var definitions: [String] = []
        var uses: [Located<String>] = []
        if case .parallel = action {} else { scanCaptures(node, definitions: &definitions, uses: &uses) }
        return Step(action: action, name: name, timeoutMs: timeout, location: node.location,
                    captureDefinitions: definitions, captureUses: uses)
    }

    private func action(_ kind: String, _ body: YAMLNode, step: YAMLMap) -> StepAction? {
        switch kind {
        case "ws_connect": return wsConnect(body, step: step).map(StepAction.wsConnect)
        case "send": return send(body).map(StepAction.send)
        case "expect": return expectFrame(body).map(StepAction.expect)
        case "expect_any_order": return expectAnyOrder(body).map(StepAction.expectAnyOrder)
        case "expect_silence":
            guard let map = YAMLMap(body, what: "'expect_silence'", sink: sink) else { return nil }
            defer { map.rejectUnknownKeys() }
            return .expectSilence(conn: map.string("conn", required: true) ?? "", forMs: map.int("for_ms") ?? 500)
        case "expect_close": return expectClose(body).map(StepAction.expectClose)
        case "close":
            if let conn = body.scalar { return .close(conn: conn, code: 1000) }
            guard let map = YAMLMap(body, what: "'close'", sink: sink) else { return nil }
            defer { map.rejectUnknownKeys() }
            return .close(conn: map.string("conn", required: true) ?? "", code: map.int("code") ?? 1000)
        case "pause_reading", "resume_reading":
            guard let conn = body.scalar, !conn.isEmpty else {
                sink.error(body.location, "'\(kind)' names a connection")
                return nil
            }
            return .reading(conn: conn, paused: kind == "pause_reading")
        case "http": return http(body, step: step).map(StepAction.http)
        case "clock":
            guard let map = YAMLMap(body, what: "'clock'", sink: sink) else { return nil }
            let tenant = map.string("tenant") ?? "main"
            var members: [JSON.Member] = []
            if let value = map.value("set_ms") { members.append(JSON.Member("set_ms", value.json)) }
            if let value = map.value("advance_ms") { members.append(JSON.Member("advance_ms", value.json)) }
            if members.count != 1 { sink.error(map.location, "'clock' needs exactly one of set_ms, advance_ms") }
            map.rejectUnknownKeys()
            return .clock(tenant: tenant, body: .object(members))
        case "sleep":
            guard let map = YAMLMap(body, what: "'sleep'", sink: sink) else { return nil }
            defer { map.rejectUnknownKeys() }
            return .sleep(ms: map.int("ms", required: true) ?? 0)
        default:
            guard let branches = body.sequence, !branches.isEmpty else {
                sink.error(body.location, "'parallel' must be a non-empty list of step lists")
                return nil
            }
            return .parallel(branches.map { branch in
                guard let items = branch.sequence, !items.isEmpty else {
                    sink.error(branch.location, "each branch of 'parallel' must be a non-empty list of steps")
                    return []
                }
                return items.compactMap { self.step($0) }
            })
        }
    }

    private func wsConnect(_ body: YAMLNode, step: YAMLMap) -> WSConnectStep? {
        if let actor = body.scalar {
            return WSConnectStep(actor: actor, name: actor, auth: "query", token: nil, path: nil, query: [], headers: [],
                                 autoPong: true, refusal: step.value("expect_refusal").flatMap(expectation))
        }
        guard let map = YAMLMap(body, what: "'ws_connect'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let actor = map.string("actor", required: true) ?? ""
        let auth = map.string("auth") ?? "query"
        if !["query", "header", "both", "none"].contains(auth) {
            sink.error(map.value("auth")?.location, "auth must be query, header, both or none")
        }
        let refusal = (map.value("expect_refusal") ?? step.value("expect_refusal")).flatMap(expectation)
        return WSConnectStep(actor: actor, node: map.string("node"), name: map.string("name") ?? actor, auth: auth, token: map.string("token"),
                             path: map.string("path"), query: map.members("query"), headers: map.members("headers"),
                             autoPong: map.bool("auto_pong") ?? true, refusal: refusal)
    }

    private func send(_ body: YAMLNode) -> SendStep? {
        guard let map = YAMLMap(body, what: "'send'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let conn = map.string("conn", required: true) ?? ""
        var payloads: [FramePayload] = []
        if let json = map.value("json") { payloads.append(.json(json.json)) }
        if let text = map.string("text") { payloads.append(.text(text)) }
        if let binary = map.string("binary_base64") { payloads.append(.binaryBase64(binary)) }
        if let bytes = map.string("text_base64") { payloads.append(.textBase64(bytes)) }
        if let generate = map.value("text_generate"), let inner = YAMLMap(generate, what: "'text_generate'", sink: sink) {
            payloads.append(.generated(repeat: inner.string("repeat", required: true) ?? "", times: inner.int("times", required: true) ?? 0,
                                       prefix: inner.string("prefix") ?? "", suffix: inner.string("suffix") ?? ""))
            inner.rejectUnknownKeys()
        }
        guard payloads.count == 1 else {
            sink.error(map.location, "'send' needs exactly one of json, text, binary_base64, text_base64, text_generate")
            return nil
        }
        let count = map.int("count") ?? 1
        if !(1...VectorFormat.maxSendCount).contains(count) {
            sink.error(map.value("count")?.location, "'count' must be 1 to \(VectorFormat.maxSendCount)")
        }
        return SendStep(conn: conn, payload: payloads[0], count: min(max(count, 1), VectorFormat.maxSendCount),
                        masked: map.bool("masked") ?? true, fin: map.bool("fin") ?? true, continuation: map.bool("continuation") ?? false)
    }

    private func expectFrame(_ body: YAMLNode) -> ExpectFrameStep? {
        guard let map = YAMLMap(body, what: "'expect'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let step = ExpectFrameStep(conn: map.string("conn", required: true) ?? "", json: map.value("json")?.json,
                                   text: map.value("text")?.json, mode: mode(map), withinMs: map.int("within_ms") ?? VectorFormat.defaultWithinMs)
        if (step.json == nil) == (step.text == nil) { sink.error(map.location, "'expect' needs exactly one of json, text") }
        return step
    }

    private func expectAnyOrder(_ body: YAMLNode) -> ExpectAnyOrderStep? {
        guard let map = YAMLMap(body, what: "'expect_any_order'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let conn = map.string("conn", required: true) ?? ""
        guard let frames = map.value("frames", required: true) else { return nil }
        guard case .array(let items) = frames.json, !items.isEmpty else {
            sink.error(frames.location, "'frames' must be a non-empty list")
            return nil
        }
        return ExpectAnyOrderStep(conn: conn, frames: items, mode: mode(map), withinMs: map.int("within_ms") ?? VectorFormat.defaultWithinMs)
    }

    private func expectClose(_ body: YAMLNode) -> ExpectCloseStep? {
        guard let map = YAMLMap(body, what: "'expect_close'", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        return ExpectCloseStep(conn: map.string("conn", required: true) ?? "", code: map.int("code"),
                               withinMs: map.int("within_ms") ?? VectorFormat.defaultWithinMs,
                               allowFramesBefore: map.bool("allow_frames_before") ?? false)
    }

    func mode(_ map: YAMLMap) -> MatchMode {
        guard let text = map.string("match") else { return .subset }
        guard let mode = MatchMode(rawValue: text) else {
            sink.error(map.value("match")?.location, "match must be subset or exact")
            return .subset
        }
        return mode
    }
}
