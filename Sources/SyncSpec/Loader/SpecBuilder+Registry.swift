/// Limits, errors and requirements.
extension SpecBuilder {
    mutating func readLimit(_ name: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "limit '\(name)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let value = map.int("value", required: true, in: what)
        let kindText = map.string("kind", required: true, in: what)
        let kind = kindText.flatMap(Limit.Kind.init(rawValue:))
        if let kindText, kind == nil {
            sink.error(map.value("kind")?.location, "'kind' of \(what) must be max or min, found '\(kindText)'")
        }
        let unit = map.string("unit", required: true, in: what) ?? ""
        if !["bytes", "count", "seconds", "milliseconds"].contains(unit), !unit.isEmpty {
            sink.error(map.value("unit")?.location, "'unit' of \(what) must be bytes, count, seconds or milliseconds, found '\(unit)'")
        }
        let info = info(map, in: what, at: keyLocation)
        map.rejectUnknownKeys(in: what)
        limits.append(Limit(name: name, value: value ?? 0, kind: kind ?? .max, unit: unit, info: info))
    }

    mutating func readError(_ code: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "error '\(code)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let status = map.int("status", required: true, in: what)
        if let status, !(400...599).contains(status) {
            sink.error(map.value("status")?.location, "'status' of \(what) must be an HTTP error status (400-599), found \(status)")
        }
        let retryable = map.bool("retryable", in: what)
        if retryable == nil, map.value("retryable") == nil {
            sink.error(map.location, "\(what) has no 'retryable'")
        }
        let closeCode = map.int("close_code", in: what)
        if let closeCode, !(1000...1015).contains(closeCode), !(4000...4999).contains(closeCode) {
            sink.error(map.value("close_code")?.location, "'close_code' of \(what) must be a WebSocket close code (1000-1015 or 4000-4999), found \(closeCode)")
        }
        let title = map.string("title", required: true, in: what) ?? ""
        let retry = map.value("retry").flatMap { readRetry($0, of: what) }
        let info = info(map, in: what, at: keyLocation)
        map.rejectUnknownKeys(in: what)
        errors.append(ErrorDefinition(code: code, status: Int(status ?? 500), retryable: retryable ?? false,
                                      closeCode: closeCode.map(Int.init), title: title, retry: retry, info: info))
    }

    /// An error's `retry` block: `action` (Markdown), `min_delay_ms` and an optional `since`.
    private func readRetry(_ node: YAMLNode, of error: String) -> RetryPolicy? {
        let what = "'retry' of \(error)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        let action = map.string("action", required: true, in: what) ?? ""
        let minDelay = map.int("min_delay_ms", required: true, in: what)
        if let minDelay, minDelay < 0 {
            sink.error(map.value("min_delay_ms")?.location, "'min_delay_ms' of \(what) must not be negative")
        }
        let since = self.since(map, in: what)
        map.rejectUnknownKeys(in: what)
        return RetryPolicy(action: action, minDelayMs: max(0, minDelay ?? 0), since: since, location: map.location)
    }

    mutating func readRequirement(_ node: YAMLNode) {
        guard let map = YAMLMap(node, what: "a requirement", sink: sink) else { return }
        guard let id = map.string("id", required: true, in: "a requirement") else {
            map.rejectUnknownKeys(in: "a requirement")
            return
        }
        let what = "requirement '\(id)'"
        guard claim(id, in: "requirements", at: map.value("id")?.location ?? map.location, what: "requirements") else { return }
        let levelText = map.string("level", in: what)
        let level = levelText.flatMap(RequirementLevel.init(rawValue:))
        if levelText == nil {
            sink.error(map.location, "\(what) has no level (MUST, SHOULD or MAY)")
        } else if level == nil {
            sink.error(map.value("level")?.location, "level of \(what) must be MUST, SHOULD or MAY, found '\(levelText ?? "")'")
        }
        let title = map.string("title", required: true, in: what) ?? ""
        let info = info(map, in: what, descriptionKey: "text")
        let errors = map.strings("errors", in: what).map(\.0)
        let refs = map.strings("refs", in: what).map(\.0)
        var appliesTo: [RequirementSubject] = [.server]
        if map.value("applies_to") != nil {
            let subjects = map.strings("applies_to", in: what)
            appliesTo = []
            for (name, location) in subjects {
                guard let subject = RequirementSubject(rawValue: name) else {
                    sink.error(location, "applies_to of \(what) must list server and/or client, found '\(name)'")
                    continue
                }
                if !appliesTo.contains(subject) { appliesTo.append(subject) }
            }
            if subjects.isEmpty { sink.error(map.value("applies_to")?.location, "applies_to of \(what) must name server and/or client") }
        }
        map.rejectUnknownKeys(in: what)
        requirements.append(Requirement(id: id, level: level ?? .must, title: title, text: info.description,
                                        errors: errors, refs: refs, appliesTo: appliesTo, info: info))
    }
}
