import SyncClient
import Testing

/// A generator that returns the same value forever: the extremes of the jitter.
struct ConstantGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Backoff")
struct BackoffTests {
    let backoff = Backoff(baseMs: 500, capMs: 60_000, floorMs: 100, maxRetryAfterMs: 3_600_000)

    @Test("the ceiling doubles from the base, stops at the cap, and never overflows")
    func ceiling() {
        #expect(backoff.ceiling(attempt: 1) == 500)
        #expect(backoff.ceiling(attempt: 2) == 1_000)
        #expect(backoff.ceiling(attempt: 7) == 32_000)
        #expect(backoff.ceiling(attempt: 8) == 60_000)
        for attempt in [0, -5, 62, 63, 64, 1_000, Int.max] {
            #expect(backoff.ceiling(attempt: attempt) == (attempt <= 1 ? 500 : 60_000))
        }
        let huge = Backoff(baseMs: .max / 2, capMs: .max)
        #expect(huge.ceiling(attempt: 3) == .max)
    }

    @Test("full jitter stays within floor...ceiling and spreads over the range")
    func jitterRange() {
        var generator = SplitMix64(seed: 7)
        for attempt in 1...20 {
            var seen = Set<Int64>()
            for _ in 0..<500 {
                let delay = backoff.delay(attempt: attempt, using: &generator)
                #expect(delay >= 100)
                #expect(delay <= backoff.ceiling(attempt: attempt))
                seen.insert(delay / 100)
            }
            // Uniform over 0...ceiling, not a fixed value.
            #expect(seen.count > 3)
        }
        var zero = ConstantGenerator(value: 0)
        #expect(backoff.delay(attempt: 30, using: &zero) == 100)
        var high = ConstantGenerator(value: 60_000)
        #expect(backoff.delay(attempt: 30, using: &high) == 60_000)
    }

    @Test("never below the server's retry-after, never below the floor, retry-after bounded")
    func retryAfter() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<1_000 {
            #expect(backoff.delay(attempt: 1, retryAfterMs: 5_000, using: &generator) >= 5_000)
            #expect(backoff.delay(attempt: 3, retryAfterMs: 0, using: &generator) >= 100)
            #expect(backoff.delay(attempt: 1, retryAfterMs: -3, using: &generator) >= 100)
        }
        // Beyond the cap: retry-after wins over the cap.
        #expect(backoff.delay(attempt: 50, retryAfterMs: 120_000, using: &generator) == 120_000)
        // A silly retry-after is bounded.
        #expect(backoff.delay(attempt: 1, retryAfterMs: .max, using: &generator) == 3_600_000)
    }

    @Test("the seeded generator is deterministic")
    func seeded() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<10).map { _ in first.next() } == (0..<10).map { _ in second.next() })
    }
}
