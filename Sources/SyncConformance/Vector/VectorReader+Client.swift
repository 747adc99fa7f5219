import Foundation
import SyncSpec

extension VectorReader {
    /// Frame and request kinds the scripted server can be told how to answer.
    static let reactionKinds = ["hello", "push", "pull", "ack", "chunk"]
    static let clientActionKeys = ["harness", "restart", "await", "server", "check", "sleep"]
    static let harnessInstructions = ["write", "start", "stop", "sync", "wait_settled", "upload", "new_token", "snapshot"]
    static let serverActions = ["change", "redeliver", "close", "drop", "ping", "expire_token", "normal"]

    /// The `server` and `steps` of a `role: client` vector.
    func clientScript(_ map: YAMLMap) -> ClientScript {
        var reactions: [String: [Reaction]] = [:]
        var limits: JSON?
        var records: [JSON] = []
        if let server = map.value("server"), let inner = YAMLMap(server, what: "'server'", sink: sink) {
            for kind in Self.reactionKinds {
                guard let list = inner.value(kind) else { continue }
                guard let items = list.sequence else {
                    sink.error(list.location, "server.\(kind) must be a list of reactions")
                    continue
                }
                reactions[kind] = items.compactMap { reaction($0, kind: kind) }
            }
            if let node = inner.value("limits") {
                if node.entries == nil { sink.error(node.location, "server.limits must be a mapping") }
                limits = node.json
            }
            if let node = inner.value("records") {
                if let items = node.sequence { records = items.map(\.json) } else { sink.error(node.location, "server.records must be a list") }
            }
            inner.rejectUnknownKeys()
        }
        var steps: [ClientStep] = []
        if let node = map.value("steps", required: true) {
            if let items = node.sequence, !items.isEmpty {
                steps = items.compactMap(clientStep)
            } else {
                sink.error(node.location, "'steps' must be a non-empty list")
            }
        }
        return ClientScript(reactions: reactions, limits: limits, records: records, steps: steps)
    }

    private func reaction(_ node: YAMLNode, kind: String) -> Reaction? {
        if let word = node.scalar {
            switch word {
            case "normal": return .normal
            case "drop": return .drop
            case "silent": return .silent
            case "twice": return .twice
            default:
                sink.error(node.location, "unknown reaction '\(word)' (normal, drop, silent, twice, or a mapping)")
                return nil
            }
        }
        guard let map = YAMLMap(node, what: "a reaction", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        if let code = map.int("close") { return .close(code) }
        if let error = map.value("error"), let inner = YAMLMap(error, what: "an error reaction", sink: sink) {
            defer { inner.rejectUnknownKeys() }
            guard let code = inner.string("code", required: true) else { return nil }
            return .error(code: code, retryAfterMs: inner.int("retry_after_ms"))
        }
        if let reject = map.value("reject") {
            guard kind == "push", let items = reject.sequence else {
                sink.error(reject.location, "reject is a list of sequence numbers, for push only")
                return nil
            }
            return .reject(seqs: items.compactMap { $0.json.integer })
        }
        if let welcome = map.value("welcome") {
            guard kind == "hello", welcome.entries != nil else {
                sink.error(welcome.location, "welcome is a mapping, for hello only")
                return nil
            }
            return .welcome(welcome.json)
        }
        sink.error(map.location, "a reaction mapping needs close, error, reject or welcome")
        return nil
    }

    private func clientStep(_ node: YAMLNode) -> ClientStep? {
        guard let map = YAMLMap(node, what: "a step", sink: sink) else { return nil }
        defer { map.rejectUnknownKeys() }
        let keys = map.entries.map(\.key).filter { Self.clientActionKeys.contains($0) }
        guard keys.count == 1, let body = map.value(keys[0]) else {
            sink.error(node.location, keys.isEmpty
                ? "a client step needs one of \(Self.clientActionKeys.joined(separator: ", "))"
                : "a step has more than one action (\(keys.joined(separator: ", ")))")
            return nil
        }
        let expect = map.value("expect")?.json
        let name = map.string("name")
        let action: ClientStep.Action
        switch keys[0] {
        case "harness":
            let instruction = body.json
            guard let type = instruction["type"]?.string, Self.harnessInstructions.contains(type) else {
                sink.error(body.location, "harness needs a type, one of \(Self.harnessInstructions.joined(separator: ", "))")
                return nil
            }
            action = .harness(instruction, wait: map.bool("wait") ?? true)
        case "restart":
            action = .restart
        case "await":
            guard let inner = YAMLMap(body, what: "'await'", sink: sink) else { return nil }
            defer { inner.rejectUnknownKeys() }
            guard let kind = inner.string("kind", required: true), let count = inner.int("count", required: true) else { return nil }
            action = .await(kind: kind, count: count, timeoutMs: inner.int("timeout_ms") ?? 10_000)
        case "server":
            let request = body.json
            guard let members = request.members, members.count == 1, Self.serverActions.contains(members[0].key) else {
                sink.error(body.location, "server needs exactly one of \(Self.serverActions.joined(separator: ", "))")
                return nil
            }
            action = .server(request)
        case "check":
            guard let kind = body.scalar else {
                sink.error(body.location, "check names a frame kind (push, hello, pull, ack, pong, chunk, ...)")
                return nil
            }
            if expect == nil { sink.error(node.location, "a check needs 'expect'") }
            action = .check(kind: kind)
        default:
            guard let inner = YAMLMap(body, what: "'sleep'", sink: sink) else { return nil }
            defer { inner.rejectUnknownKeys() }
            guard let ms = inner.int("ms", required: true), ms >= 0 else { return nil }
            action = .sleep(ms)
        }
        return ClientStep(action: action, expect: expect, name: name, location: node.location)
    }
}
