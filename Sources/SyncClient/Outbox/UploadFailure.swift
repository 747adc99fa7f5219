public import SyncProtocol

/// Why a push did not produce a result, as far as the uploader cares: each case says what to do.
public enum UploadFailure: Sendable, Hashable {
    /// Retry the same batch (same key, same bytes) after a backoff of at least `retryAfterMs`:
    /// a retryable error (`sequence_gap`, `idempotency_key_in_flight`, `rate_limited`,
    /// `unavailable`, `internal_error`...), a network failure, a timeout or a lost connection.
    case retry(retryAfterMs: Int64?)
    /// The token is missing, invalid, expired or lacks the device claim: a retry with the same
    /// token cannot succeed, so get a new one first.
    case needsAuthentication
    /// The batch holds too many mutations or makes too large a frame: send fewer, under a new key.
    case batchTooLarge(ErrorCode)
    /// The server refused the batch's content for good (`invalid_message`, batch-level
    /// `record_too_large`...). Some mutation in it is at fault: split the batch to find it, and
    /// reject that lone mutation locally so that it does not block the ones behind it.
    case refused(ErrorCode)
    /// The key was already used with another payload: send the batch again under a new key.
    case idempotencyKeyReused
    /// Client and server do not understand each other (`unsupported_protocol_version`,
    /// `unknown_message_type`, a code this build does not know and the server says is final...).
    /// Nothing the uploader does can fix it; it keeps retrying at the backoff's cap so that an
    /// upgraded server or client picks the work up again.
    case incompatible(ErrorCode)
}
