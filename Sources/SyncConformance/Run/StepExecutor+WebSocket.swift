import Foundation

extension StepExecutor {
    func wsConnect(_ step: WSConnectStep, _ scope: InterpolationScope) async throws(StepFailure) {
        let token: String? = if let text = step.token { try interpolateText(text, scope) } else if step.auth == "none" { nil } else {
            try await session.token(for: step.actor)
        }
        let server = try session.target(node: step.node)
        var query: [(String, String)] = []
        if let token, step.auth == "query" || step.auth == "both" { query.append(("token", token)) }
        for member in step.query { query.append((member.key, try interpolateValue(member.value, scope))) }
        var headers: [(String, String)] = [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Protocol", server.subprotocol),
        ]
        if let token, step.auth == "header" || step.auth == "both" { headers.append(("Authorization", "Bearer \(token)")) }
        headers = try merge(headers, step.headers, scope)
        var path = server.webSocketPath
        if let given = step.path { path = try interpolateText(given, scope) }
        let request = HTTPRequest(method: "GET", target: server.basePath + path + Self.queryString(query), headers: headers, body: .none)
        session.recorder.record(step.name, .sent, .httpRequest, "GET \(request.target) (upgrade)", headers: headers)
        let exchange: (HTTPResponse, TCPConnection, [UInt8])
        do {
            exchange = try await server.client.exchange(request, before: .now + .milliseconds(Self.defaultTimeoutMs))
        } catch {
            session.recorder.note(step.name, "\(error)")
            throw .error("WebSocket upgrade: \(error)")
        }
        let (response, tcp, leftover) = exchange
        session.recorder.record(step.name, .received, response.status == 101 ? .wsOpen : .httpResponse,
                                "\(response.status) \(response.reason)", headers: response.headers, body: response.body)
        if let refusal = step.refusal {
            tcp.close()
            guard response.status != 101 else { throw .failed("the upgrade was accepted (101), expected a refusal") }
            try check(refusal, response, scope, what: "refused upgrade")
            return
        }
        guard response.status == 101 else {
            tcp.close()
            throw .failed("the upgrade was refused with \(response.status): \(String(decoding: response.body.prefix(500), as: UTF8.self))",
                          expected: "101 Switching Protocols", actual: "\(response.status) \(response.reason)")
        }
        session.register(WebSocketConnection(name: step.name, tcp: tcp, leftover: leftover, recorder: session.recorder, autoPong: step.autoPong))
    }

    func send(_ step: SendStep, _ scope: InterpolationScope) async throws(StepFailure) {
        let connection = try session.connection(step.conn)
        let bytes: [UInt8]
        var isText = true
        switch step.payload {
        case .json(let json): bytes = Array(try interpolate(json, scope).compact.utf8)
        case .text(let text): bytes = Array(try interpolateText(text, scope).utf8)
        case .binaryBase64(let base64):
            guard let data = Data(base64Encoded: base64) else { throw .error("binary_base64 is not base64") }
            bytes = Array(data)
            isText = false
        case .textBase64(let base64):
            guard let data = Data(base64Encoded: base64) else { throw .error("text_base64 is not base64") }
            bytes = Array(data)
        case .generated(let unit, let times, let prefix, let suffix):
            bytes = Array(prefix.utf8) + Array(Array(repeating: Array(unit.utf8), count: max(0, times)).joined()) + Array(suffix.utf8)
        }
        for index in 0..<step.count {
            do {
                try await connection.send(bytes, text: isText, masked: step.masked, fin: step.fin, continuation: step.continuation)
            } catch {
                throw .failed("sending on '\(step.conn)' failed" + (step.count > 1 ? " (frame \(index + 1) of \(step.count))" : "") + ": \(error)")
            }
        }
    }

    /// The next data frame of a connection, skipping auto-answered pings unless `wantPing`.
    func nextFrame(_ connection: WebSocketConnection, before deadline: ContinuousClock.Instant, wantPing: Bool, skipPings: Bool)
        async -> WebSocketEvent? {
        while let event = await connection.next(before: deadline) {
            if case .text(_, _, let isPing) = event, isPing, skipPings, !wantPing { continue }
            return event
        }
        return nil
    }

    func expectFrame(_ step: ExpectFrameStep, _ scope: InterpolationScope) async throws(StepFailure) {
        let connection = try session.connection(step.conn)
        var expected: JSON?
        if let json = step.json { expected = try interpolate(json, scope) }
        let wantPing = expected?["type"] == .string("ping")
        guard let event = await nextFrame(connection, before: .now + .milliseconds(step.withinMs), wantPing: wantPing,
                                          skipPings: connection.autoPong) else {
            throw .failed("no frame on '\(step.conn)' within \(step.withinMs) ms", expected: expected?.pretty, actual: "(nothing)")
        }
        let (text, json) = try frameContent(event, step.conn)
        var matcher = Matcher(mode: step.mode, captures: session.captures)
        if let expected {
            guard let json else { throw .failed("the frame on '\(step.conn)' is not JSON", expected: expected.pretty, actual: text) }
            let problems = matcher.match(expected, json)
            guard problems.isEmpty else { throw .mismatch("frame on '\(step.conn)'", problems, expected: expected, actual: json) }
        } else if let wanted = step.text {
            let expectedText = try interpolate(wanted, scope)
            let problems = matcher.match(expectedText, .string(text))
            guard problems.isEmpty else { throw .mismatch("frame text on '\(step.conn)'", problems, expected: expectedText, actual: .string(text)) }
        }
        session.store(captures: matcher.captures)
    }

    func expectAnyOrder(_ step: ExpectAnyOrderStep, _ scope: InterpolationScope) async throws(StepFailure) {
        let connection = try session.connection(step.conn)
        var expected: [JSON] = []
        for frame in step.frames { expected.append(try interpolate(frame, scope)) }
        let wantPing = expected.contains { $0["type"] == .string("ping") }
        let deadline = ContinuousClock.now + .milliseconds(step.withinMs)
        var received: [JSON] = []
        while received.count < expected.count {
            guard let event = await nextFrame(connection, before: deadline, wantPing: wantPing, skipPings: connection.autoPong) else {
                throw .failed("only \(received.count) of \(expected.count) frames on '\(step.conn)' within \(step.withinMs) ms",
                              expected: JSON.array(expected).pretty, actual: JSON.array(received).pretty)
            }
            let (text, json) = try frameContent(event, step.conn)
            guard let json else { throw .failed("a frame on '\(step.conn)' is not JSON", actual: text) }
            received.append(json)
        }
        var matcher = Matcher(mode: step.mode, captures: session.captures)
        let wanted = JSON.object([JSON.Member("$unordered", .array(expected))])
        let problems = matcher.match(wanted, .array(received))
        guard problems.isEmpty else {
            throw .failed("frames on '\(step.conn)' do not match in any order", expected: JSON.array(expected).pretty, actual: JSON.array(received).pretty)
        }
        session.store(captures: matcher.captures)
    }

    func expectSilence(_ conn: String, forMs: Int) async throws(StepFailure) {
        let connection = try session.connection(conn)
        if let event = await nextFrame(connection, before: .now + .milliseconds(forMs), wantPing: false, skipPings: true) {
            switch event {
            case .closed(let code): throw .failed("'\(conn)' was closed (\(code.map(String.init) ?? "no code")) while silence was expected")
            case .text(let text, _, _): throw .failed("expected no frame on '\(conn)' for \(forMs) ms", expected: "(nothing)", actual: text)
            case .binary(let bytes): throw .failed("expected no frame on '\(conn)' for \(forMs) ms", expected: "(nothing)", actual: "binary \(bytes.count) bytes")
            }
        }
    }

    func expectClose(_ step: ExpectCloseStep) async throws(StepFailure) {
        let connection = try session.connection(step.conn)
        let deadline = ContinuousClock.now + .milliseconds(step.withinMs)
        while true {
            guard let event = await nextFrame(connection, before: deadline, wantPing: false, skipPings: true) else {
                throw .failed("'\(step.conn)' was not closed within \(step.withinMs) ms", expected: step.code.map { "close \($0)" }, actual: "(open)")
            }
            switch event {
            case .closed(let code):
                session.remove(step.conn)
                if let wanted = step.code, code != wanted {
                    throw .failed("'\(step.conn)' was closed with \(code.map(String.init) ?? "no close frame")", expected: "close \(wanted)",
                                  actual: "close \(code.map(String.init) ?? "(none)")")
                }
                return
            case .text(let text, _, _) where !step.allowFramesBefore:
                throw .failed("a frame arrived on '\(step.conn)' before the close", expected: "close \(step.code.map(String.init) ?? "")", actual: text)
            case .binary where !step.allowFramesBefore:
                throw .failed("a binary frame arrived on '\(step.conn)' before the close")
            default: continue
            }
        }
    }

    private func frameContent(_ event: WebSocketEvent, _ conn: String) throws(StepFailure) -> (String, JSON?) {
        switch event {
        case .text(let text, let json, _): return (text, json)
        case .binary(let bytes): throw .failed("a binary frame (\(bytes.count) bytes) arrived on '\(conn)', expected a text frame")
        case .closed(let code): throw .failed("'\(conn)' was closed (\(code.map(String.init) ?? "without a close frame")) while a frame was expected")
        }
    }
}
