/// A frame or body that could not be accepted, with the spec's error code and every issue found.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry code: `malformed_frame`, `unknown_message_type`, `invalid_message`, ...
    public var code: ErrorCode
    /// One line for people; never echoes values from the input.
    public var message: String
    /// The schema violations, each with its JSON path.
    public var issues: [WireIssue]

    /// Creates an error.
    public init(code: ErrorCode, message: String, issues: [WireIssue] = []) {
        self.code = code
        self.message = message
        self.issues = issues
    }

    public var description: String {
        ([("\(code): \(message)")] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
