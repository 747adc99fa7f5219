public import SyncProtocol

extension ServiceError {
    /// A codec failure with the more specific code the spec gives some violations instead of
    /// `invalid_message` (ERR-6): too many mutations, an oversized record, a missing idempotency
    /// key, a malformed cursor. Other failures keep their code.
    public static func refined(_ error: WireError) -> ServiceError {
        guard error.code == .invalidMessage else { return ServiceError(error) }
        for issue in error.issues {
            if issue.path == "mutations", issue.message.hasPrefix("more than") {
                return ServiceError(.batchTooLarge, "a push may hold at most \(Limits.maxMutationsPerPush) mutations", issues: error.issues)
            }
            if issue.path.hasPrefix("mutations["), issue.path.hasSuffix("].fields"), issue.message.hasPrefix("larger than") {
                return ServiceError(.recordTooLarge, "\(issue.path) is larger than \(Limits.maxRecordBytes) bytes", issues: error.issues)
            }
            if issue.path == "idempotency_key", issue.message == "is required" {
                return ServiceError(.idempotencyKeyMissing, "a push needs an idempotency key", issues: error.issues)
            }
            if issue.path == "cursor" {
                return ServiceError(.invalidCursor, "the cursor is malformed", issues: error.issues)
            }
        }
        return ServiceError(error)
    }
}
