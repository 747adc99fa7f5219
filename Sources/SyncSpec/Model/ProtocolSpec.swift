/// The WebSocket endpoint and how versions are negotiated.
public struct WebSocketInfo: Sendable, Hashable {
    /// The upgrade path, such as `/v1/sync`.
    public var path: String
    /// The `Sec-WebSocket-Protocol` value.
    public var subprotocol: String
    /// How client and server agree on a version (Markdown).
    public var negotiation: String
}

/// The whole protocol as loaded from `Spec/`: the model every renderer and the differ work on.
public struct ProtocolSpec: Sendable, Hashable {
    /// Machine name, such as `mobilesync`.
    public var name: String
    /// Human title.
    public var title: String
    /// The spec's own version.
    public var version: SemanticVersion
    /// Overview (Markdown).
    public var description: String
    /// How requests authenticate: token format, claims, keys (Markdown); empty when the spec
    /// does not say. Rendered in every document's security scheme.
    public var authentication: String
    /// WebSocket endpoint.
    public var websocket: WebSocketInfo
    /// Example server URL for REST documents.
    public var baseURL: String
    /// Named constants, in spec order.
    public var limits: [Limit]
    /// The error registry, in spec order.
    public var errors: [ErrorDefinition]
    /// The close-code registry, in spec order.
    public var closeCodes: [CloseCodeDefinition]
    /// Numbered requirements, in spec order.
    public var requirements: [Requirement]
    /// Enums, in spec order.
    public var enums: [EnumDefinition]
    /// Schemas, in spec order.
    public var schemas: [SchemaDefinition]
    /// WebSocket messages, in spec order.
    public var messages: [MessageDefinition]
    /// REST endpoints, in spec order.
    public var endpoints: [Endpoint]
    /// Walkthroughs for implementers, in spec order.
    public var guides: [Guide]
    /// Breaking changes made without a new major version, with their reasons, in spec order.
    public var acceptedBreaks: [AcceptedBreak]
    /// The Prometheus series servers expose, in spec order.
    public var metrics: [MetricDefinition]
    /// The alerting rules over them, in spec order.
    public var alerts: [AlertDefinition]
    /// SHA-256 (hex) of the spec files, as stamped on generated output.
    public var sourceHash: String

    /// The limit with this name.
    public func limit(named name: String) -> Limit? { limits.first { $0.name == name } }
    /// The schema with this name.
    public func schema(named name: String) -> SchemaDefinition? { schemas.first { $0.name == name } }
    /// The enum with this name.
    public func enumeration(named name: String) -> EnumDefinition? { enums.first { $0.name == name } }
    /// The message with this `type`.
    public func message(named name: String) -> MessageDefinition? { messages.first { $0.name == name } }
    /// The error with this code.
    public func error(code: String) -> ErrorDefinition? { errors.first { $0.code == code } }
    /// The close-code registry entry for this code.
    public func closeCode(_ code: Int) -> CloseCodeDefinition? { closeCodes.first { $0.code == code } }
    /// The errors whose `error` message precedes a close with this code, in registry order.
    public func errors(closingWith code: Int) -> [ErrorDefinition] { errors.filter { $0.closeCode == code } }
    /// The closed values of a metric's label, from its list or its enum; `nil` when open.
    public func values(of label: MetricLabel) -> [String]? {
        label.values ?? label.enumName.flatMap { enumeration(named: $0)?.values.map(\.name) }
    }

    /// The metric family with this name.
    public func metric(named name: String) -> MetricDefinition? { metrics.first { $0.name == name } }
    /// The requirement with this id.
    public func requirement(id: String) -> Requirement? { requirements.first { $0.id == id } }

    /// The number a bound stands for; `nil` when it names a missing limit.
    public func resolve(_ bound: Bound) -> Int64? {
        switch bound {
        case .literal(let value): value
        case .limit(let name): limit(named: name)?.value
        }
    }
}
