import Foundation
import NIOHTTP1
import SyncProtocol

/// The scripted server's brain for one vector: answers each frame the client sends as the
/// vector's reactions say (normally otherwise, from a `ServerModel`), performs the steps'
/// server actions, and records everything the client sent, with times, for the checks.
actor ScriptedHub {
    private let script: ClientScript
    let recorder: WireRecorder
    var model = ServerModel()
    /// Frames (and requests) the client sent, by kind, as checks see them: the first
    /// `recordLimit` of each kind, so a client that floods cannot exhaust the runner's memory.
    private(set) var frames: [String: [JSON]] = [:]
    /// How many of each kind arrived in all, recorded or not.
    private(set) var totals: [String: Int] = [:]
    static let recordLimit = 10_000
    private var counts: [String: Int] = [:]
    /// Set by the `normal` action: every later frame and request is answered normally.
    private var reactionsCleared = false
    private var live: ScriptedConnection?
    private var sessions = 0
    /// Each connection's session number in this vector (1, 2, ...).
    private var sessionNumbers: [Int: Int] = [:]
    /// Tokens the server no longer accepts (`expire_token`).
    var expired: Set<String> = []
    /// Tokens seen so far, newest last.
    private var tokens: [String] = []
    private var waiters: [UUID: (kind: String, count: Int, continuation: CheckedContinuation<Bool, Never>)] = [:]
    var uploads: [String: UploadState] = [:]

    init(script: ClientScript, recorder: WireRecorder) {
        self.script = script
        self.recorder = recorder
        for record in script.records {
            _ = model.external(collection: record["collection"]?.string ?? "items", id: record["id"]?.string ?? "r",
                               op: nil, fields: record["fields"])
        }
    }

    /// Milliseconds since the vector started (the wire log's clock).
    var nowMs: Int64 { Int64(recorder.elapsedMs) }

    // MARK: Sessions

    /// The bearer token of an upgrade or request (header, or `token` query parameter).
    nonisolated static func token(in head: HTTPRequestHead) -> String? {
        token(authorization: head.headers.first(name: "Authorization"), uri: head.uri)
    }

    nonisolated static func token(authorization: String?, uri: String) -> String? {
        if let authorization, authorization.hasPrefix("Bearer ") { return String(authorization.dropFirst(7)) }
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("token=") {
            return String(pair.dropFirst(6)).removingPercentEncoding
        }
        return nil
    }

    /// Whether a WebSocket upgrade is accepted: the right path and a token that has not expired.
    func accepts(upgrade head: HTTPRequestHead) -> Bool {
        let token = Self.token(in: head)
        record("upgrade", ["token": token.map(JSON.string) ?? .null, "path": .string(String(head.uri.prefix { $0 != "?" }))])
        guard head.uri.hasPrefix("/v1/sync"), let token, !expired.contains(token) else { return false }
        return true
    }

    func opened(_ connection: ScriptedConnection, token: String?) {
        if let token, !tokens.contains(token) { tokens.append(token) }
        live?.drop()
        live = connection
        sessions += 1
        sessionNumbers[connection.id] = sessions
        recorder.record("client", .received, .wsOpen, "session \(sessions) opened")
    }

    func closed(_ connection: ScriptedConnection) {
        recorder.record("client", .received, .wsClose, "session \(sessionNumbers[connection.id] ?? 0) ended")
        if live === connection { live = nil }
    }

    /// One text frame from the client.
    func received(_ text: String, on connection: ScriptedConnection) {
        recorder.record("client", .received, .wsFrame, text, body: Array(text.utf8))
        guard let message = try? JSON.parse(text), let kind = message["type"]?.string else {
            record("invalid", ["text": .string(text)])
            send(error(code: "malformed_frame", requestId: nil, retryAfterMs: nil), on: connection)
            return
        }
        let index = record(kind, message, session: sessionNumbers[connection.id])
        let reaction = nextReaction(kind)
        switch reaction {
        case .drop:
            connection.drop()
            return
        case .silent:
            return
        case .close(let code):
            connection.close(code: code)
            return
        case .error(let code, let retryAfterMs):
            send(error(code: code, requestId: message["request_id"]?.string, retryAfterMs: retryAfterMs), on: connection)
            markAnswered(kind, index)
            return
        default:
            break
        }
        let answers = answer(kind, message, reaction: reaction)
        for answer in answers { send(answer, on: connection) }
        if reaction == .twice, let last = answers.last { send(last, on: connection) }
        if !answers.isEmpty { markAnswered(kind, index) }
    }

    private func answer(_ kind: String, _ message: JSON, reaction: Reaction) -> [JSON] {
        let requestId = message["request_id"] ?? .null
        switch kind {
        case "hello":
            var welcome = JSON.object([
                .init("type", .string("welcome")), .init("protocol_version", .string(ProtocolInfo.version)), .init("session_id", .string("s\(sessions)")),
                .init("device_id", .string("device-under-test")), .init("server_time", .int(Int64(Date().timeIntervalSince1970 * 1000))),
                .init("heartbeat_interval_ms", .int(30_000)), .init("heartbeat_timeout_ms", .int(90_000)),
                .init("last_seq", .int(model.lastSeq)), .init("limits", limits), .init("features", .array([])),
            ])
            if case .welcome(let overrides) = reaction {
                for member in overrides.members ?? [] { welcome = welcome.replacing(member.key, with: member.value) }
            }
            return [welcome]
        case "push":
            let mutations = message["mutations"]?.array ?? []
            let key = message["idempotency_key"]?.string ?? ""
            var reject: Set<Int64> = []
            if case .reject(let seqs) = reaction { reject = Set(seqs) }
            switch model.push(mutations, key: key, reject: reject) {
            case .success(let result):
                return [result.replacing("type", with: .string("push_result")).replacing("request_id", with: requestId).movingTypeFirst]
            case .failure(let refusal):
                return [error(code: refusal.code, requestId: requestId.string, retryAfterMs: nil)
                    .replacing("expected_seq", with: .int(model.lastSeq + 1))]
            }
        case "pull":
            let limit = Int(min(message["limit"]?.integer ?? Limits.defaultPullPage, Limits.maxPullPage))
            guard let page = model.page(after: message["cursor"]?.string, limit: limit) else {
                return [error(code: "invalid_cursor", requestId: requestId.string, retryAfterMs: nil)]
            }
            return [.object([.init("type", .string("changes")), .init("request_id", requestId), .init("changes", .array(page.changes)),
                             .init("cursor", .string(page.cursor)), .init("has_more", .bool(page.hasMore))])]
        case "ack":
            return [.object([.init("type", .string("acked")), .init("request_id", requestId), .init("cursor", message["cursor"] ?? .null)])]
        case "ping":
            return [.object([.init("type", .string("pong")), .init("nonce", message["nonce"] ?? .null)])]
        case "pong":
            return []
        default:
            return [error(code: "invalid_message", requestId: requestId.string, retryAfterMs: nil)]
        }
    }

    private var limits: JSON {
        var value = JSON.object([
            .init("max_frame_bytes", .int(Limits.maxFrameBytes)), .init("max_mutations_per_push", .int(Limits.maxMutationsPerPush)),
            .init("max_record_bytes", .int(Limits.maxRecordBytes)), .init("max_record_id_length", .int(Limits.maxRecordIdLength)),
            .init("max_cursor_length", .int(Limits.maxCursorLength)), .init("max_pull_page", .int(Limits.maxPullPage)),
            .init("default_pull_page", .int(Limits.defaultPullPage)), .init("max_clock_skew_ms", .int(Limits.maxClockSkewMs)),
            .init("idempotency_window_seconds", .int(Limits.idempotencyWindowSeconds)),
            .init("heartbeat_timeout_seconds", .int(Limits.heartbeatTimeoutSeconds)), .init("min_chunk_bytes", .int(Limits.minChunkBytes)),
            .init("max_chunk_bytes", .int(Limits.maxChunkBytes)), .init("default_chunk_bytes", .int(Limits.defaultChunkBytes)),
            .init("max_upload_bytes", .int(Limits.maxUploadBytes)), .init("max_uploads_per_device", .int(Limits.maxUploadsPerDevice)),
            .init("upload_expiry_seconds", .int(Limits.uploadExpirySeconds)),
        ])
        for member in script.limits?.members ?? [] { value = value.replacing(member.key, with: member.value) }
        return value
    }

    /// An `error` message; `retryable` as the spec's error table says.
    func error(code: String, requestId: String?, retryAfterMs: Int?) -> JSON {
        var message = JSON.object([.init("type", .string("error")), .init("code", .string(code)), .init("message", .string("scripted: \(code)")),
                                   .init("retryable", .bool(Self.retryable(code)))])
        if let requestId { message = message.replacing("request_id", with: .string(requestId)) }
        if let retryAfterMs { message = message.replacing("retry_after_ms", with: .int(Int64(retryAfterMs))) }
        return message
    }

    nonisolated static func retryable(_ code: String) -> Bool {
        ErrorInfo.registry[ErrorCode(rawValue: code)]?.retryable ?? false
    }

    private func send(_ message: JSON, on connection: ScriptedConnection) {
        let text = message.compact
        recorder.record("client", .sent, .wsFrame, text, body: Array(text.utf8))
        connection.send(text)
    }

    // MARK: Server actions

    /// Performs a step's server action.
    func perform(_ action: JSON) throws(ScriptFailure) {
        guard let member = action.members?.first else { return }
        switch member.key {
        case "change":
            let spec = member.value
            // Checked before the change is applied, so a refused action changes nothing.
            let deliveries = spec["deliver"]?.integer ?? 1
            guard (1...100).contains(deliveries) else { throw ScriptFailure("deliver must be 1 to 100, not \(deliveries)") }
            let change = model.external(collection: spec["collection"]?.string ?? "items", id: spec["record_id"]?.string ?? "r",
                                        op: spec["op"]?.string, fields: spec["fields"])
            guard let live else { return }
            for _ in 0..<deliveries {
                send(.object([.init("type", .string("change")), .init("change", change)]), on: live)
            }
        case "normal":
            reactionsCleared = true
        case "redeliver":
            guard let live, let position = member.value.integer, let entry = model.log.first(where: { $0.position == position }) else {
                throw ScriptFailure("redeliver needs a live session and a position in the change log")
            }
            send(.object([.init("type", .string("change")), .init("change", entry.change)]), on: live)
        case "close":
            guard let live, let code = member.value.integer else { throw ScriptFailure("no live session to close") }
            recorder.note("server", "closing the session with \(code)")
            live.close(code: Int(code))
        case "drop":
            guard let live else { throw ScriptFailure("no live session to drop") }
            recorder.note("server", "dropping the connection")
            live.drop()
        case "ping":
            guard let live else { throw ScriptFailure("no live session to ping") }
            send(.object([.init("type", .string("ping")), .init("nonce", member.value)]), on: live)
        default:
            expired.formUnion(tokens)
            recorder.note("server", "the client's tokens expire")
            live?.close(code: 4401)
        }
    }

    // MARK: Recording

    /// Records what the client sent: a WebSocket frame with its `session`, or an HTTP request.
    @discardableResult
    func record(_ kind: String, _ message: JSON, session: Int? = nil) -> Int {
        var entry = message.replacing("at_ms", with: .int(nowMs))
        if let session { entry = entry.replacing("session", with: .int(Int64(session))) }
        let count = totals[kind, default: 0] + 1
        totals[kind] = count
        let stored = count <= Self.recordLimit
        if stored {
            frames[kind, default: []].append(entry)
        } else if count == Self.recordLimit + 1 {
            recorder.note("server", "more than \(Self.recordLimit) \(kind) frames: later ones are counted, not recorded")
        }
        for (id, waiter) in waiters where waiter.kind == kind && count >= waiter.count {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume(returning: true)
        }
        return stored ? count - 1 : -1
    }

    private func record(_ kind: String, _ members: [String: JSON]) {
        record(kind, .object(members.sorted { $0.key < $1.key }.map { JSON.Member($0.key, $0.value) }))
    }

    func markAnswered(_ kind: String, _ index: Int) {
        guard var list = frames[kind], list.indices.contains(index) else { return }
        list[index] = list[index].replacing("answered_at_ms", with: .int(nowMs))
        frames[kind] = list
    }

    func nextReaction(_ kind: String) -> Reaction {
        if reactionsCleared { return .normal }
        let index = counts[kind, default: 0]
        counts[kind] = index + 1
        let list = script.reactions[kind] ?? []
        return index < list.count ? list[index] : .normal
    }

    /// Waits until `count` frames of `kind` arrived in all (true), or `timeoutMs` passed (false).
    func wait(kind: String, count: Int, timeoutMs: Int) async -> Bool {
        if totals[kind, default: 0] >= count { return true }
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(timeoutMs))
            await self?.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiters[id] = (kind, count, continuation)
        }
    }

    private func expire(_ id: UUID) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: false)
    }

    /// Releases every waiter (the vector ended).
    func finish() {
        for waiter in waiters.values { waiter.continuation.resume(returning: false) }
        waiters.removeAll()
        live?.drop()
        live = nil
    }
}

extension JSON {
    /// The object with its `type` member first (answers read better in logs).
    var movingTypeFirst: JSON {
        guard case .object(let members) = self, let type = members.first(where: { $0.key == "type" }) else { return self }
        return .object([type] + members.filter { $0.key != "type" })
    }

    /// The elements of an array.
    var array: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

/// A step that could not be performed as written.
struct ScriptFailure: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
