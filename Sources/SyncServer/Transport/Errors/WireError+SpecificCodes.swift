import SyncProtocol

extension WireError {
    /// ERR-6: a violation that has its own code is reported with it instead of `invalid_message`;
    /// every issue found stays listed. The codes are tried in the order ERR-6 names them, so a
    /// batch that is both too large and has a bad cursor reports the batch.
    func refinedToSpecificCode() -> WireError {
        guard code == .invalidMessage else { return self }
        for rule in Self.specificCodeRules where issues.contains(where: rule.matches) {
            var refined = self
            refined.code = rule.code
            refined.message = rule.message
            return refined
        }
        return self
    }

    private struct SpecificCodeRule: Sendable {
        let code: ErrorCode
        let message: String
        let matches: @Sendable (WireIssue) -> Bool
    }

    private static let specificCodeRules: [SpecificCodeRule] = [
        SpecificCodeRule(code: .batchTooLarge, message: "the batch holds more than \(Limits.maxMutationsPerPush) mutations") {
            $0.path == "mutations" && $0.message.hasPrefix("more than")
        },
        SpecificCodeRule(code: .recordTooLarge, message: "a record's fields exceed \(Limits.maxRecordBytes) bytes") {
            ($0.path == "fields" || $0.path.hasSuffix(".fields")) && $0.message.hasPrefix("larger than")
        },
        SpecificCodeRule(code: .uploadTooLarge, message: "the file is larger than \(Limits.maxUploadBytes) bytes") {
            $0.path == "size" && $0.message.hasPrefix("greater than")
        },
        SpecificCodeRule(code: .idempotencyKeyMissing, message: "the push has no idempotency key") {
            $0.path == "idempotency_key"
                && ($0.message == "is required" || $0.message == "must not be null" || $0.message.hasPrefix("shorter than"))
        },
        SpecificCodeRule(code: .invalidCursor, message: "the cursor is malformed") {
            $0.path == "cursor" && $0.message != "is required"
        },
    ]
}
