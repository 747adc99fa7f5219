import SyncServer
import Testing

/// TEST-5's clock moves are total: no offset overflows, however large or repeated.
@Suite("TenantClock saturates instead of overflowing")
struct TenantClockTests {
    private static let start: Int64 = 1_767_225_600_000

    @Test("advancing by Int64.max, twice, stops at the latest time")
    func advanceSaturates() {
        let clock = TenantClock(realNow: { Self.start })
        clock.advance(tenant: "acme", by: .max)
        #expect(clock.now(tenant: "acme") == TenantClock.latestTime)
        clock.advance(tenant: "acme", by: .max)
        #expect(clock.now(tenant: "acme") == TenantClock.latestTime)
        clock.advance(tenant: "acme", by: .min)
        #expect(clock.now(tenant: "acme") == 0)
        #expect(clock.now(tenant: "other") == Self.start)
    }

    @Test("setting any time lands within 0...latestTime", arguments: [Int64.max, Int64.min, -1, 0, TenantClock.latestTime, TenantClock.latestTime + 1])
    func setClamps(_ time: Int64) {
        let clock = TenantClock(realNow: { Self.start })
        clock.set(tenant: "acme", to: time)
        #expect(clock.now(tenant: "acme") == min(max(time, 0), TenantClock.latestTime))
        clock.advance(tenant: "acme", by: 1)
        #expect(clock.now(tenant: "acme") <= TenantClock.latestTime)
    }

    @Test("a real clock near the end of time with a large offset does not overflow")
    func realClockNearTheEnd() {
        let clock = TenantClock(realNow: { .max - 10 })
        clock.advance(tenant: "acme", by: 100)
        #expect(clock.now(tenant: "acme") == TenantClock.latestTime)
    }
}
