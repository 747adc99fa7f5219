/// What every definition in the spec carries besides its own content.
public struct DefinitionInfo: Sendable, Hashable {
    /// Markdown text: what it is and why.
    public var description: String
    /// The spec version that introduced it.
    public var since: SemanticVersion
    /// What to use instead, when deprecated; `nil` otherwise.
    public var deprecated: String?
    /// Where it is defined.
    public var location: SourceLocation

    /// Creates the common part of a definition.
    public init(description: String, since: SemanticVersion = .initial, deprecated: String? = nil, location: SourceLocation) {
        self.description = description
        self.since = since
        self.deprecated = deprecated
        self.location = location
    }
}

/// A named constant such as the largest frame size.
public struct Limit: Sendable, Hashable {
    /// Which direction makes a limit stricter.
    public enum Kind: String, Sendable, Hashable {
        /// An upper bound: lowering it tightens it.
        case max
        /// A lower bound: raising it tightens it.
        case min
    }

    /// `snake_case` name, used by constraints.
    public var name: String
    /// The value.
    public var value: Int64
    /// Which way is stricter.
    public var kind: Kind
    /// `bytes`, `count`, `seconds` or `milliseconds`.
    public var unit: String
    /// Description, version, location.
    public var info: DefinitionInfo
}

/// One code of the error registry.
public struct ErrorDefinition: Sendable, Hashable {
    /// `snake_case` code carried by problem+json bodies and `error` messages.
    public var code: String
    /// The HTTP status of REST responses with this code.
    public var status: Int
    /// Whether the same request can succeed if retried unchanged.
    public var retryable: Bool
    /// The WebSocket close code sent after the `error` message; `nil` keeps the connection open.
    public var closeCode: Int?
    /// A short human-readable summary (the problem's `title`).
    public var title: String
    /// What a client does to retry, and how soon; present exactly when `retryable`.
    public var retry: RetryPolicy?
    /// Description, version, location.
    public var info: DefinitionInfo
}

/// How a client retries a request refused with a retryable code: what it sends again and the
/// least time it waits before sending it unchanged.
public struct RetryPolicy: Sendable, Hashable {
    /// Markdown: what the client does (resend unchanged, fix the request first, wait for a condition).
    public var action: String
    /// The least delay before the same request may be sent again unchanged, in milliseconds;
    /// 0 when none applies. Servers never announce a shorter `retry_after_ms`.
    public var minDelayMs: Int64
    /// The spec version that introduced this guidance.
    public var since: SemanticVersion
    /// Where the `retry` block is written.
    public var location: SourceLocation
}

/// How binding a requirement is (RFC 2119).
public enum RequirementLevel: String, Sendable, Hashable, CaseIterable {
    /// An absolute requirement.
    case must = "MUST"
    /// Recommended; deviations need a reason.
    case should = "SHOULD"
    /// Optional.
    case may = "MAY"
}

/// The side of the protocol a requirement binds.
public enum RequirementSubject: String, Sendable, Hashable, CaseIterable {
    /// Servers must do it; server conformance vectors check it.
    case server
    /// Clients must do it; client conformance vectors check it.
    case client
}

/// A numbered rule that vectors and reports cite.
public struct Requirement: Sendable, Hashable {
    /// Stable id such as `IDEM-3`.
    public var id: String
    /// How binding it is.
    public var level: RequirementLevel
    /// A short name.
    public var title: String
    /// The rule itself.
    public var text: String
    /// Error codes the rule involves.
    public var errors: [String]
    /// Spec elements the rule involves: `message:NAME`, `schema:NAME`, `endpoint:ID`, `limit:NAME`.
    public var refs: [String]
    /// Which sides it binds (`applies_to`; servers when the spec does not say).
    public var appliesTo: [RequirementSubject] = [.server]
    /// Version and location (the description is the text).
    public var info: DefinitionInfo
}

/// A closed set of string values.
public struct EnumDefinition: Sendable, Hashable {
    /// One allowed value.
    public struct Value: Sendable, Hashable {
        /// The value on the wire.
        public var name: String
        /// Description, version, location.
        public var info: DefinitionInfo
    }

    /// `UpperCamelCase` name.
    public var name: String
    /// The allowed values in spec order.
    public var values: [Value]
    /// Description, version, location.
    public var info: DefinitionInfo
}

/// A field of a schema, message, or REST parameter.
public struct Field: Sendable, Hashable {
    /// The JSON key (or parameter or header name).
    public var name: String
    /// Its type.
    public var type: TypeRef
    /// Whether it must be present.
    public var required: Bool
    /// Checks beyond the type.
    public var constraints: Constraints
    /// An example value, if the spec gives one.
    public var example: SpecValue?
    /// Description, version, location.
    public var info: DefinitionInfo
}

/// A named object type.
public struct SchemaDefinition: Sendable, Hashable {
    /// `UpperCamelCase` name.
    public var name: String
    /// Fields in spec order.
    public var fields: [Field]
    /// Example values, each checked against the schema.
    public var examples: [SpecValue]
    /// Description, version, location.
    public var info: DefinitionInfo
}

/// Which side sends a WebSocket message.
public enum MessageDirection: String, Sendable, Hashable, CaseIterable {
    /// Client to server.
    case client
    /// Server to client.
    case server
    /// Either side.
    case both

    /// Whether a client sends it.
    public var fromClient: Bool { self != .server }
    /// Whether a server sends it.
    public var fromServer: Bool { self != .client }
}

/// A WebSocket message; its name is the frame's `type` value.
public struct MessageDefinition: Sendable, Hashable {
    /// The `type` discriminator value (`snake_case`).
    public var name: String
    /// Who sends it.
    public var direction: MessageDirection
    /// One line.
    public var summary: String
    /// Messages the other side answers with.
    public var replies: [String]
    /// Fields besides `type`, in spec order.
    public var fields: [Field]
    /// Whole example frames, `type` included.
    public var examples: [SpecValue]
    /// Description, version, location.
    public var info: DefinitionInfo
}
