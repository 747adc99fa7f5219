import Foundation

extension StepExecutor {
    func http(_ step: HTTPStep, _ scope: InterpolationScope) async throws(StepFailure) {
        var headers: [(String, String)] = []
        let explicitAuth = step.headers.contains { $0.key.lowercased() == "authorization" }
        if step.auth == "bearer", !explicitAuth, let actor = step.actor {
            headers.append(("Authorization", "Bearer \(try await session.token(for: actor))"))
        }
        let body: HTTPRequest.Body
        switch step.body {
        case nil: body = .none
        case .json(let json):
            body = .bytes(Array(try interpolate(json, scope).compact.utf8))
            headers.append(("Content-Type", "application/json"))
        case .text(let text): body = .bytes(Array(try interpolateText(text, scope).utf8))
        case .base64(let base64):
            guard let data = Data(base64Encoded: base64) else { throw .error("body_base64 is not base64") }
            body = .bytes(Array(data))
        case .blob(let name, let offset, let length):
            let (generator, range) = try blobSlice(name, offset, length, scope)
            body = .blob(generator, range)
            headers.append(("Content-Type", "application/octet-stream"))
        case .generated(let unit, let times): body = .repeated(Array(unit.utf8), times: max(0, times))
        }
        headers = try merge(headers, step.headers, scope)
        var query: [(String, String)] = []
        for member in step.query { query.append((member.key, try interpolateValue(member.value, scope))) }
        let path = try interpolateText(step.path, scope)
        let server = try session.target(node: step.node)
        let request = HTTPRequest(method: step.method, target: server.basePath + path + Self.queryString(query), headers: headers, body: body)
        let response = try await session.perform(request, connection: step.actor ?? "http", on: server,
                                                 before: .now + .milliseconds(Self.defaultTimeoutMs))
        if let expectation = step.expect { try check(expectation, response, scope, what: "response to \(step.method) \(path)") }
    }

    /// Checks a response against an expectation, storing captures when everything matches.
    func check(_ expectation: HTTPExpectation, _ response: HTTPResponse, _ scope: InterpolationScope, what: String) throws(StepFailure) {
        var matcher = Matcher(mode: expectation.mode, captures: session.captures)
        let bodyText = String(decoding: response.body, as: UTF8.self)
        if let status = expectation.status {
            let wanted = try interpolate(status, scope)
            let problems = matcher.match(wanted, .int(Int64(response.status)), path: "status")
            guard problems.isEmpty else {
                throw .failed("\(what): status \(response.status), expected \(wanted.compact)", expected: "status \(wanted.compact)",
                              actual: "status \(response.status)\n\(String(bodyText.prefix(2000)))")
            }
        }
        var headerMatcher = Matcher(mode: .subset, captures: matcher.captures)
        for member in expectation.headers {
            let values = response.headers.filter { $0.0.lowercased() == member.key.lowercased() }.map(\.1)
            let actual: JSON? = values.isEmpty ? nil : .string(values.joined(separator: ", "))
            let wanted = try interpolate(member.value, scope)
            let problems = headerMatcher.match(wanted, actual, path: "header \(member.key)")
            guard problems.isEmpty else {
                throw .mismatch(what, problems, expected: wanted, actual: actual)
            }
        }
        matcher.captures = headerMatcher.captures
        if let wanted = expectation.json {
            let expected = try interpolate(wanted, scope)
            guard let actual = try? JSON.parse(response.body) else {
                throw .failed("\(what): the body is not JSON", expected: expected.pretty, actual: String(bodyText.prefix(2000)))
            }
            let problems = matcher.match(expected, actual)
            guard problems.isEmpty else { throw .mismatch(what, problems, expected: expected, actual: actual) }
        }
        if let wanted = expectation.text {
            let expected = try interpolate(wanted, scope)
            let problems = matcher.match(expected, .string(bodyText), path: "body")
            guard problems.isEmpty else { throw .mismatch(what, problems, expected: expected, actual: .string(bodyText)) }
        }
        if let base64 = expectation.bodyBase64 {
            guard let data = Data(base64Encoded: base64) else { throw .error("body_base64 is not base64") }
            guard Array(data) == response.body else {
                throw .failed("\(what): the body differs from body_base64 (\(data.count) bytes expected, \(response.body.count) received)")
            }
        }
        if case .blob(let name, let offset, let length) = expectation.bodyBlob {
            let (generator, range) = try blobSlice(name, offset, length, scope)
            guard response.body.count == range.count else {
                throw .failed("\(what): the body has \(response.body.count) bytes, blob \(name) slice has \(range.count)")
            }
            var position = 0
            var same = true
            generator.forEachChunk(range) { chunk in
                if same, response.body[position..<position + chunk.count].elementsEqual(chunk) == false { same = false }
                position += chunk.count
            }
            guard same else { throw .failed("\(what): the body differs from blob \(name) [\(range.lowerBound):\(range.upperBound))") }
        }
        session.store(captures: matcher.captures)
    }

    func blobSlice(_ name: String, _ offset: JSON?, _ length: JSON?, _ scope: InterpolationScope) throws(StepFailure) -> (BlobGenerator, Range<Int>) {
        guard let generator = session.blobs[name] else { throw .error("no blob named '\(name)'") }
        var start = 0
        if let offset { start = Int(try interpolate(offset, scope).integer ?? 0) }
        var count = generator.spec.size - start
        if let length { count = Int(try interpolate(length, scope).integer ?? Int64(count)) }
        let lower = max(0, min(start, generator.spec.size))
        return (generator, lower..<max(lower, min(generator.spec.size, lower + count)))
    }

    func interpolate(_ value: JSON, _ scope: InterpolationScope) throws(StepFailure) -> JSON {
        do { return try Interpolation.apply(value, scope) } catch { throw .error("\(error)") }
    }

    func interpolateText(_ text: String, _ scope: InterpolationScope) throws(StepFailure) -> String {
        do { return try Interpolation.applyText(text, scope) } catch { throw .error("\(error)") }
    }

    /// A value for a header or query parameter: strings as they are, anything else as compact JSON.
    func interpolateValue(_ value: JSON, _ scope: InterpolationScope) throws(StepFailure) -> String {
        let resolved = try interpolate(value, scope)
        return resolved.string ?? resolved.compact
    }

    /// `base` with `extra` applied: same names (case-insensitive) replaced, `null` removes a header.
    func merge(_ base: [(String, String)], _ extra: [JSON.Member], _ scope: InterpolationScope) throws(StepFailure) -> [(String, String)] {
        var result = base
        for member in extra {
            result.removeAll { $0.0.lowercased() == member.key.lowercased() }
            if member.value != .null { result.append((member.key, try interpolateValue(member.value, scope))) }
        }
        return result
    }

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?" + items.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }
}
