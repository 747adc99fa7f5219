/// How long the uploader waits before retrying: capped exponential backoff with full jitter
/// (a uniform random delay in `0...min(cap, base * 2^(attempt-1))`, as in AWS's "Exponential
/// Backoff And Jitter"), never below the server's `retry_after_ms` and never below a floor, so
/// that `retry_after_ms: 0` or an unlucky draw of 0 never becomes a hot loop.
public struct Backoff: Sendable, Hashable {
    /// The ceiling of the first retry's random delay, in milliseconds.
    public var baseMs: Int64
    /// The largest ceiling, in milliseconds: later retries draw from `0...capMs`.
    public var capMs: Int64
    /// The shortest delay ever returned, in milliseconds.
    public var floorMs: Int64
    /// The longest server `retry_after_ms` honoured, in milliseconds: a server that asks for
    /// more (by mistake or malice) cannot silence the client for longer than this.
    public var maxRetryAfterMs: Int64

    /// Creates a backoff policy. Values are normalised: a negative value counts as 0, the base
    /// as at least 1 ms, the cap as at least the base.
    public init(baseMs: Int64 = 500, capMs: Int64 = 60_000, floorMs: Int64 = 100, maxRetryAfterMs: Int64 = 3_600_000) {
        self.baseMs = max(1, baseMs)
        self.capMs = max(self.baseMs, capMs)
        self.floorMs = max(0, floorMs)
        self.maxRetryAfterMs = max(0, maxRetryAfterMs)
    }

    /// The ceiling of the random delay for the `attempt`-th consecutive failure (1 for the
    /// first): `min(cap, base * 2^(attempt-1))`, computed without overflow for any attempt.
    public func ceiling(attempt: Int) -> Int64 {
        let doublings = max(0, attempt - 1)
        // base << doublings stays within cap as long as base <= cap >> doublings.
        guard doublings < 63, baseMs <= capMs >> Int64(doublings) else { return capMs }
        return baseMs << Int64(doublings)
    }

    /// The delay before the next try after `attempt` consecutive failures, in milliseconds:
    /// a random draw in `0...ceiling(attempt)`, raised to `retryAfterMs` (bounded by
    /// `maxRetryAfterMs`) and to `floorMs`.
    public func delay(attempt: Int, retryAfterMs: Int64? = nil, using generator: inout some RandomNumberGenerator) -> Int64 {
        let ceiling = ceiling(attempt: attempt)
        // Modulo keeps the draw deterministic for any generator; its bias is below 2^-40 here.
        let jitter = Int64(generator.next() % UInt64(ceiling + 1))
        let serverMinimum = min(max(0, retryAfterMs ?? 0), maxRetryAfterMs)
        return max(jitter, serverMinimum, floorMs)
    }
}

/// SplitMix64: a small, fast, seedable generator, so that a state machine's jitter can be
/// replayed in tests. Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator from a seed; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
