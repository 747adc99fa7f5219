/// One WebSocket close code of the close-code registry: what it means, who sends it, whether an
/// `error` message comes first, and what a client does when it receives it.
public struct CloseCodeDefinition: Sendable, Hashable {
    /// Whether an `error` message precedes the close. The codes it can carry are the registry's
    /// errors whose `close_code` is this code.
    public enum ErrorMessage: String, Sendable, Hashable, CaseIterable {
        /// Every close with this code follows an `error` naming one of those codes.
        case always
        /// An `error` usually comes first, but a close without one is possible.
        case sometimes
        /// No `error` message precedes it.
        case never
    }

    /// What a client does after the connection closed with this code.
    public enum Reconnect: String, Sendable, Hashable, CaseIterable {
        /// Reconnect with exponential backoff and jitter, no sooner than `minDelayMs`.
        case backoff
        /// Obtain a new token first, then reconnect, no sooner than `minDelayMs`.
        case newToken = "new_token"
        /// Do not reconnect automatically: retrying cannot succeed.
        case never
    }

    /// The close code, 1000-1015 or 4000-4999.
    public var code: Int
    /// A short name, such as `Going Away` (RFC 6455 names for 1000-1015).
    public var title: String
    /// The sides that send it in a close frame; empty for a code no conforming peer sends
    /// (such as 1006, which a WebSocket library reports for a connection lost without a close frame).
    public var sentBy: [RequirementSubject]
    /// Whether an `error` message comes first.
    public var error: ErrorMessage
    /// Whether and how the client reconnects.
    public var reconnect: Reconnect
    /// The least delay before reconnecting, in milliseconds; `nil` exactly when `reconnect` is `never`.
    public var minDelayMs: Int64?
    /// Markdown: what a client does on receiving it.
    public var action: String
    /// The meaning (description), version and location.
    public var info: DefinitionInfo
}
