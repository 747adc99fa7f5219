public import SyncProtocol

/// What the uploader does with the server's answer to a push: settle a result, or react to a
/// failure. The one place where error codes meet the uploader.
public enum ReplyClassification: Sendable, Hashable {
    /// The batch completed (or was replayed): settle it in the store.
    case settle(PushResult)
    /// The batch did not complete.
    case failure(UploadFailure)

    /// A push result (REST `pushBatch` body or WebSocket `push_result`).
    public static func classify(_ result: PushResult) -> ReplyClassification {
        .settle(result)
    }

    /// A WebSocket `error` answering a push.
    public static func classify(_ message: ErrorMessage) -> ReplyClassification {
        classify(code: ErrorCode(rawValue: message.code), retryable: message.retryable, retryAfterMs: message.retryAfterMs)
    }

    /// A REST problem answering `pushBatch`. `retryAfterHeaderMs` is the `Retry-After` header in
    /// milliseconds, when present; the longer of it and the body's `retry_after_ms` counts.
    public static func classify(_ problem: Problem, retryAfterHeaderMs: Int64? = nil) -> ReplyClassification {
        let retryAfter = [problem.retryAfterMs, retryAfterHeaderMs].compactMap { $0 }.max()
        return classify(code: ErrorCode(rawValue: problem.code), retryable: problem.retryable, retryAfterMs: retryAfter)
    }

    /// The push never got an answer: the connection failed or closed, or the request timed out.
    /// The batch may or may not have been applied; resending it with the same key is safe.
    public static var transportFailure: ReplyClassification { .failure(.retry(retryAfterMs: nil)) }

    /// An error code with the sender's `retryable` flag (used for codes this build does not
    /// know; for known codes the registry decides) and its `retry_after_ms`.
    public static func classify(code: ErrorCode, retryable: Bool, retryAfterMs: Int64?) -> ReplyClassification {
        // The client resends the same batch unchanged, so the registry's minimum delay for the
        // code applies even when the server announces less (ERR-10).
        let minimum = code.info?.minRetryDelayMs
        let retryAfterMs = retryAfterMs.map { max($0, minimum ?? 0) } ?? minimum
        switch code {
        case .unauthorized, .tokenExpired, .forbidden:
            return .failure(.needsAuthentication)
        case .batchTooLarge, .frameTooLarge:
            return .failure(.batchTooLarge(code))
        case .invalidMessage, .recordTooLarge, .invalidMutation, .recordNotFound:
            return .failure(.refused(code))
        case .idempotencyKeyReused:
            return .failure(.idempotencyKeyReused)
        case .sequenceGap, .idempotencyKeyInFlight, .rateLimited, .unavailable, .internalError,
             .helloRequired, .heartbeatTimeout:
            // `hello_required` and `heartbeat_timeout`: the session is not (or no longer)
            // established; the transport redoes it and the same batch goes again.
            return .failure(.retry(retryAfterMs: retryAfterMs))
        default:
            let isRetryable = code.info?.retryable ?? retryable
            return .failure(isRetryable ? .retry(retryAfterMs: retryAfterMs) : .incompatible(code))
        }
    }
}
