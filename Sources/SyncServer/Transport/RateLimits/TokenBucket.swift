/// One token bucket: up to `burst` requests at once, refilled continuously at a rate. A struct
/// driven by `RateLimiter` under its lock, tested without clocks.
struct TokenBucket: Sendable, Hashable {
    /// Tokens left; a request takes one.
    private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    private(set) var updatedAt: ContinuousClock.Instant

    /// A full bucket.
    init(rule: RateRule, now: ContinuousClock.Instant) {
        tokens = Double(rule.burst)
        updatedAt = now
    }

    /// Adds the tokens refilled since the last update, up to the rule's burst.
    mutating func refill(_ rule: RateRule, now: ContinuousClock.Instant) {
        guard now > updatedAt else { return }
        let (seconds, attoseconds) = (now - updatedAt).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        tokens = min(Double(rule.burst), tokens + elapsed * rule.perSecond)
        updatedAt = now
    }

    /// How long until one token is there; zero when there is one now. Call after `refill`.
    func wait(_ rule: RateRule) -> Duration {
        guard tokens < 1 else { return .zero }
        return .nanoseconds(Int64(((1 - tokens) / rule.perSecond * 1e9).rounded(.up)))
    }

    /// Takes one token (there must be one).
    mutating func take() {
        tokens -= 1
    }

    /// Whether the bucket is full again, so that forgetting it changes nothing. Call after `refill`.
    func isFull(_ rule: RateRule) -> Bool {
        tokens >= Double(rule.burst)
    }
}
