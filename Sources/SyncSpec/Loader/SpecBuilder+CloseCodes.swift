/// The close-code registry.
extension SpecBuilder {
    mutating func readCloseCode(_ key: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "close code \(key)"
        guard let code = Int(key), (1000...1015).contains(code) || (4000...4999).contains(code) else {
            sink.error(keyLocation, "close code '\(key)' must be a WebSocket close code (1000-1015 or 4000-4999)")
            return
        }
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let title = map.string("title", required: true, in: what) ?? ""
        var sentBy: [RequirementSubject] = []
        if map.value("sent_by") == nil {
            sink.error(map.location, "\(what) has no 'sent_by' (a list of server and/or client; [] when no conforming peer sends it)")
        }
        for (name, location) in map.strings("sent_by", in: what) {
            guard let side = RequirementSubject(rawValue: name) else {
                sink.error(location, "'sent_by' of \(what) must list server and/or client, found '\(name)'")
                continue
            }
            if !sentBy.contains(side) { sentBy.append(side) }
        }
        let error = readChoice("error", of: CloseCodeDefinition.ErrorMessage.self, in: map, what: what) ?? .never
        let reconnect = readChoice("reconnect", of: CloseCodeDefinition.Reconnect.self, in: map, what: what) ?? .backoff
        let minDelay = map.int("min_delay_ms", in: what)
        if reconnect == .never, minDelay != nil {
            sink.error(map.value("min_delay_ms")?.location, "\(what) has 'min_delay_ms' but 'reconnect: never'")
        } else if reconnect != .never, minDelay == nil, map.value("min_delay_ms") == nil {
            sink.error(map.location, "\(what) has no 'min_delay_ms' (the least delay before reconnecting)")
        }
        if let minDelay, minDelay < 0 {
            sink.error(map.value("min_delay_ms")?.location, "'min_delay_ms' of \(what) must not be negative")
        }
        let action = map.string("action", required: true, in: what) ?? ""
        let info = info(map, in: what, at: keyLocation)
        map.rejectUnknownKeys(in: what)
        closeCodes.append(CloseCodeDefinition(
            code: code, title: title, sentBy: sentBy, error: error, reconnect: reconnect,
            minDelayMs: reconnect == .never ? nil : max(0, minDelay ?? 0), action: action, info: info))
    }
}
