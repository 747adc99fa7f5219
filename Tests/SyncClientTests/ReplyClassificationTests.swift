import SyncClient
import SyncProtocol
import Testing

@Suite("ReplyClassification")
struct ReplyClassificationTests {
    @Test("a push result is settled")
    func settle() {
        let result = PushResult(results: [], synced: 0, failed: 0, cursor: "c_1", replayed: true)
        #expect(ReplyClassification.classify(result) == .settle(result))
    }

    @Test("each error code maps to what the uploader does", arguments: [
        (ErrorCode.tokenExpired, UploadFailure.needsAuthentication),
        (.unauthorized, .needsAuthentication),
        (.forbidden, .needsAuthentication),
        (.batchTooLarge, .batchTooLarge(.batchTooLarge)),
        (.frameTooLarge, .batchTooLarge(.frameTooLarge)),
        (.invalidMessage, .refused(.invalidMessage)),
        (.recordTooLarge, .refused(.recordTooLarge)),
        (.idempotencyKeyReused, .idempotencyKeyReused),
        // ERR-10: a server announcing less than the registry's minimum is waited for that long.
        (.sequenceGap, .retry(retryAfterMs: 1000)),
        (.idempotencyKeyInFlight, .retry(retryAfterMs: 250)),
        (.rateLimited, .retry(retryAfterMs: 1000)),
        (.internalError, .retry(retryAfterMs: 1000)),
        (.unavailable, .retry(retryAfterMs: 1000)),
        (.helloRequired, .retry(retryAfterMs: 250)),
        (.unsupportedProtocolVersion, .incompatible(.unsupportedProtocolVersion)),
        (.idempotencyKeyMissing, .incompatible(.idempotencyKeyMissing)),
        (.malformedFrame, .incompatible(.malformedFrame)),
    ])
    func codes(code: ErrorCode, expected: UploadFailure) {
        let message = ErrorMessage(code: code.rawValue, message: "m", retryable: code.info?.retryable ?? false, retryAfterMs: 250)
        #expect(ReplyClassification.classify(message) == .failure(expected))
    }

    @Test("the registry's minimum delay applies with no retry_after_ms and under a shorter one, never over a longer one")
    func minimumDelays() {
        #expect(ReplyClassification.classify(code: .sequenceGap, retryable: true, retryAfterMs: nil) == .failure(.retry(retryAfterMs: 1000)))
        #expect(ReplyClassification.classify(code: .sequenceGap, retryable: true, retryAfterMs: 0) == .failure(.retry(retryAfterMs: 1000)))
        #expect(ReplyClassification.classify(code: .sequenceGap, retryable: true, retryAfterMs: 5000) == .failure(.retry(retryAfterMs: 5000)))
        #expect(ReplyClassification.classify(code: .idempotencyKeyInFlight, retryable: true, retryAfterMs: 0) == .failure(.retry(retryAfterMs: 100)))
    }

    @Test("a code this build does not know follows the sender's retryable flag")
    func unknownCode() {
        let future = ErrorCode(rawValue: "quota_exceeded")
        #expect(ReplyClassification.classify(code: future, retryable: true, retryAfterMs: 9) == .failure(.retry(retryAfterMs: 9)))
        #expect(ReplyClassification.classify(code: future, retryable: false, retryAfterMs: nil) == .failure(.incompatible(future)))
    }

    @Test("REST: the longer of Retry-After and retry_after_ms counts; a lost connection is retried")
    func problemAndTransport() {
        let problem = Problem(type: "urn:mobilesync:error:rate_limited", title: "Rate limited", status: 429, code: "rate_limited",
                              retryable: true, retryAfterMs: 1_500)
        #expect(ReplyClassification.classify(problem, retryAfterHeaderMs: 2_000) == .failure(.retry(retryAfterMs: 2_000)))
        #expect(ReplyClassification.classify(problem) == .failure(.retry(retryAfterMs: 1_500)))
        #expect(ReplyClassification.transportFailure == .failure(.retry(retryAfterMs: nil)))
    }
}
