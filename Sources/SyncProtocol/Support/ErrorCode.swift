/// An error code of the spec's registry. A struct rather than an enum so that a client can carry a
/// code a newer server introduced; the known codes are generated as static members.
public struct ErrorCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The `snake_case` code on the wire.
    public var rawValue: String

    /// Wraps a code, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The registry entry, or `nil` for a code this build does not know.
    public var info: ErrorInfo? { ErrorInfo.registry[self] }

    public var description: String { rawValue }
}

/// What the registry says about an error code.
public struct ErrorInfo: Sendable, Hashable {
    /// The code.
    public var code: ErrorCode
    /// HTTP status of REST responses with this code.
    public var status: Int
    /// Whether the same request can succeed if retried unchanged.
    public var retryable: Bool
    /// WebSocket close code sent after the `error` message; `nil` keeps the connection open.
    public var closeCode: Int?
    /// Short human-readable summary (a problem's `title`).
    public var title: String
    /// For retryable codes, the least time in milliseconds before the same request may be sent
    /// again unchanged (ERR-10); a server never announces less, a client never waits less.
    public var minRetryDelayMs: Int64?

    /// Creates a registry entry.
    public init(code: ErrorCode, status: Int, retryable: Bool, closeCode: Int?, title: String, minRetryDelayMs: Int64? = nil) {
        self.code = code
        self.status = status
        self.retryable = retryable
        self.closeCode = closeCode
        self.title = title
        self.minRetryDelayMs = minRetryDelayMs
    }
}
