/// Accumulates definitions from every spec file and assembles the model.
struct SpecBuilder {
    let sink: DiagnosticSink
    private var protocolMap: YAMLMap?
    var limits: [Limit] = []
    var errors: [ErrorDefinition] = []
    var closeCodes: [CloseCodeDefinition] = []
    var requirements: [Requirement] = []
    var enums: [EnumDefinition] = []
    var schemas: [SchemaDefinition] = []
    var messages: [MessageDefinition] = []
    var endpoints: [Endpoint] = []
    var guides: [Guide] = []
    var acceptedBreaks: [AcceptedBreak] = []
    var metrics: [MetricDefinition] = []
    var alerts: [AlertDefinition] = []
    private var names: [String: [String: SourceLocation]] = [:]

    init(sink: DiagnosticSink) {
        self.sink = sink
    }

    mutating func read(section: String, _ node: YAMLNode) {
        if section == "protocol" {
            if let earlier = protocolMap {
                sink.error(node.location, "'protocol' is defined twice (first at \(earlier.location))")
            } else {
                protocolMap = YAMLMap(node, what: "'protocol'", sink: sink)
            }
            return
        }
        if section == "requirements" {
            guard let items = node.sequence else {
                sink.error(node.location, "'requirements' must be a list, found \(node.kindName)")
                return
            }
            for item in items { readRequirement(item) }
            return
        }
        if section == "accepted_breaks" {
            guard let items = node.sequence else {
                sink.error(node.location, "'accepted_breaks' must be a list, found \(node.kindName)")
                return
            }
            for item in items { readAcceptedBreak(item) }
            return
        }
        guard let map = YAMLMap(node, what: "'\(section)'", sink: sink) else { return }
        for entry in map.entries {
            let namespace = section == "enums" ? "schemas" : section
            guard claim(entry.key, in: namespace, at: entry.keyNode.location, what: section) else { continue }
            let at = entry.keyNode.location
            switch section {
            case "limits": readLimit(entry.key, entry.value, at: at)
            case "errors": readError(entry.key, entry.value, at: at)
            case "enums": readEnum(entry.key, entry.value, at: at)
            case "schemas": readSchema(entry.key, entry.value, at: at)
            case "messages": readMessage(entry.key, entry.value, at: at)
            case "close_codes": readCloseCode(entry.key, entry.value, at: at)
            case "guides": readGuide(entry.key, entry.value, at: at)
            case "metrics": readMetric(entry.key, entry.value, at: at)
            case "alerts": readAlert(entry.key, entry.value, at: at)
            default: readEndpoint(entry.key, entry.value, at: at)
            }
        }
    }

    /// Records a name; reports and refuses a second definition of it.
    mutating func claim(_ name: String, in namespace: String, at location: SourceLocation, what: String) -> Bool {
        if let first = names[namespace]?[name] {
            sink.error(location, "duplicate name '\(name)' in \(what) (first defined at \(first))")
            return false
        }
        names[namespace, default: [:]][name] = location
        return true
    }

    /// Reads `description`, `since` and `deprecated`, the keys every definition may have; the
    /// definition's location is its name (`at`) when it has one, else the mapping's start.
    func info(_ map: YAMLMap, in what: String, at location: SourceLocation? = nil, descriptionKey: String = "description", requireDescription: Bool = true) -> DefinitionInfo {
        let description = map.string(descriptionKey, required: requireDescription, in: what) ?? ""
        return DefinitionInfo(description: description, since: since(map, in: what), deprecated: map.string("deprecated", in: what),
                              location: location ?? map.location)
    }

    /// A required key whose value is one of `Choice`'s raw values.
    func readChoice<Choice: RawRepresentable & CaseIterable>(_ key: String, of _: Choice.Type, in map: YAMLMap, what: String) -> Choice?
    where Choice.RawValue == String {
        guard let text = map.string(key, required: true, in: what) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            sink.error(map.value(key)?.location, "'\(key)' of \(what) must be one of \(allowed), found '\(text)'")
            return nil
        }
        return choice
    }

    /// The `since` version of a mapping; `1.0.0` when absent.
    func since(_ map: YAMLMap, in what: String) -> SemanticVersion {
        guard let text = map.string("since", in: what) else { return .initial }
        guard let version = SemanticVersion(text) else {
            sink.error(map.value("since")?.location, "'since' of \(what) must be a version like 1.2.0, found '\(text)'")
            return .initial
        }
        return version
    }

    func build(hash: String) -> ProtocolSpec? {
        guard let map = protocolMap else {
            sink.error(nil, "no file defines the 'protocol' section")
            return nil
        }
        let what = "'protocol'"
        let name = map.string("name", required: true, in: what) ?? ""
        let title = map.string("title", required: true, in: what) ?? ""
        let versionText = map.string("version", required: true, in: what) ?? ""
        let description = map.string("description", required: true, in: what) ?? ""
        let authentication = map.string("authentication", in: what) ?? ""
        let version = SemanticVersion(versionText)
        if version == nil, !versionText.isEmpty {
            sink.error(map.value("version")?.location, "protocol version must be a version like 1.0.0, found '\(versionText)'")
        }
        var websocket = WebSocketInfo(path: "", subprotocol: "", negotiation: "")
        if let node = map.value("websocket"), let ws = YAMLMap(node, what: "'protocol.websocket'", sink: sink) {
            let wsWhat = "'protocol.websocket'"
            websocket = WebSocketInfo(
                path: ws.string("path", required: true, in: wsWhat) ?? "",
                subprotocol: ws.string("subprotocol", required: true, in: wsWhat) ?? "",
                negotiation: ws.string("negotiation", required: true, in: wsWhat) ?? ""
            )
            ws.rejectUnknownKeys(in: wsWhat)
        } else {
            sink.error(map.location, "\(what) has no 'websocket'")
        }
        var baseURL = "http://127.0.0.1:8080"
        if let node = map.value("rest"), let rest = YAMLMap(node, what: "'protocol.rest'", sink: sink) {
            baseURL = rest.string("base_url", in: "'protocol.rest'") ?? baseURL
            rest.rejectUnknownKeys(in: "'protocol.rest'")
        }
        map.rejectUnknownKeys(in: what)
        return ProtocolSpec(
            name: name, title: title, version: version ?? .initial, description: description, authentication: authentication,
            websocket: websocket, baseURL: baseURL, limits: limits, errors: errors, closeCodes: closeCodes,
            requirements: requirements, enums: enums, schemas: schemas, messages: messages, endpoints: endpoints,
            guides: guides, acceptedBreaks: acceptedBreaks, metrics: metrics, alerts: alerts, sourceHash: hash
        )
    }
}
