public import SyncProtocol

/// A request the server refuses, with the spec's error code. Transports turn it into an RFC 9457
/// problem (REST) or an `error` message (WebSocket); the code's registry entry gives the HTTP
/// status, whether a retry can succeed and whether the socket closes.
public struct ServiceError: Error, Sendable, Hashable {
    /// The registry code.
    public var code: ErrorCode
    /// One line for people; never echoes tokens or record data.
    public var message: String
    /// Schema violations, each with its JSON path.
    public var issues: [WireIssue]
    /// For `sequence_gap`: the sequence number the server expects next.
    public var expectedSeq: Int64?
    /// For `upload_incomplete`: the chunk indexes still missing.
    public var missingChunks: [Int64]?
    /// For retryable refusals: how long to wait before retrying.
    public var retryAfterMilliseconds: Int64?

    /// Creates an error.
    public init(_ code: ErrorCode, _ message: String, issues: [WireIssue] = [], expectedSeq: Int64? = nil,
                missingChunks: [Int64]? = nil, retryAfterMilliseconds: Int64? = nil) {
        self.code = code
        self.message = message
        self.issues = issues
        self.expectedSeq = expectedSeq
        self.missingChunks = missingChunks
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// A codec failure as a service error.
    public init(_ error: WireError) {
        self.init(error.code, error.message, issues: error.issues)
    }

    /// The registry entry; unknown codes are treated as internal errors.
    public var info: ErrorInfo {
        code.info ?? ErrorInfo(code: code, status: 500, retryable: true, closeCode: nil, title: "Internal error")
    }
}
