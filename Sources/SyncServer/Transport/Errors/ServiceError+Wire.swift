import SyncProtocol

extension ServiceError {
    /// How long a client should wait before retrying, for retryable codes (ERR-3): the engine's
    /// suggestion, else a second, and never less than the registry's minimum for the code
    /// (ERR-10), so no answer invites a hot loop.
    var retryDelayMilliseconds: Int64? {
        guard info.retryable else { return nil }
        return max(retryAfterMilliseconds ?? 1000, info.minRetryDelayMs ?? 0, 0)
    }

    /// The issues as the wire carries them, `nil` when there are none (the lists have `min_items: 1`).
    var validationIssues: [ValidationIssue]? {
        issues.isEmpty ? nil : issues.map { ValidationIssue(path: $0.path, message: $0.message) }
    }

    /// The RFC 9457 body of a REST response refusing a request with this error (ERR-1).
    func problem(instance: String? = nil) -> Problem {
        let info = info
        return Problem(
            type: "urn:mobilesync:error:\(code.rawValue)",
            title: info.title,
            status: Int64(info.status),
            detail: String(message.prefix(2048)),
            instance: instance,
            code: code.rawValue,
            retryable: info.retryable,
            errors: validationIssues,
            missingChunks: missingChunks,
            missingRanges: missingChunks.map(ChunkLayout.ranges),
            retryAfterMs: retryDelayMilliseconds,
            expectedSeq: expectedSeq
        )
    }

    /// The WebSocket `error` message reporting this error (ERR-2), echoing `requestId` when the
    /// failing message had one that could be read (WS-10).
    func errorMessage(requestId: String?) -> ErrorMessage {
        ErrorMessage(
            code: code.rawValue,
            message: String(message.prefix(2048)),
            retryable: info.retryable,
            requestId: requestId,
            details: validationIssues,
            retryAfterMs: retryDelayMilliseconds,
            expectedSeq: expectedSeq
        )
    }

    /// The failure of a frame or body that could not be decoded, with the more specific code of
    /// ERR-6 in place of `invalid_message` where one applies.
    static func decoding(_ error: WireError) -> ServiceError {
        ServiceError(error.refinedToSpecificCode())
    }
}
