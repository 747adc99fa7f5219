import SyncProtocol
@testable import SyncServer
import Testing

/// Token buckets per device and per tenant (LIM-4, LIM-6), with an explicit clock: bursts at the
/// limit, one past it, refill, isolation between devices and classes, overrides and memory.
@Suite struct RateLimiterTests {
    let start = ContinuousClock.now
    let alice = Principal(tenant: "acme", user: "alice", device: "phone-a")
    let bob = Principal(tenant: "acme", user: "bob", device: "phone-b")
    let other = Principal(tenant: "globex", user: "carol", device: "phone-c")

    func limiter(device: RateRule? = nil, tenant: RateRule? = nil) -> RateLimiter {
        RateLimiter(settings: RateLimitSettings(device: device.map { [.push: $0] } ?? [:], tenant: tenant.map { [.push: $0] } ?? [:],
                                                maxSessionsPerDevice: 2, maxSessionsPerTenant: 3))
    }

    /// The refusal's delay in ms, or `nil` when admitted.
    func refusal(_ limiter: RateLimiter, _ principal: Principal, _ rateClass: RateClass = .push, at offset: Duration = .zero) -> Int64? {
        do {
            try limiter.admit(principal, rateClass, now: start + offset)
            return nil
        } catch {
            #expect(error.code == .rateLimited)
            return error.retryAfterMilliseconds ?? -1
        }
    }

    @Test func aBurstIsAdmittedAndTheNextRequestWaitsForTheRefill() {
        let limiter = limiter(device: RateRule(perMinute: 60, burst: 3))
        for _ in 0..<3 { #expect(refusal(limiter, alice) == nil) }
        #expect(refusal(limiter, alice) == 1000)
        #expect(refusal(limiter, alice, at: .milliseconds(400)) == 600)
        #expect(refusal(limiter, alice, at: .milliseconds(1000)) == nil)
        #expect(refusal(limiter, alice, at: .milliseconds(1000)) == 1000)
    }

    @Test func refusedRequestsTakeNoTokenAndTheBucketNeverExceedsItsBurst() {
        let limiter = limiter(device: RateRule(perMinute: 60, burst: 2))
        #expect(refusal(limiter, alice) == nil)
        #expect(refusal(limiter, alice) == nil)
        for _ in 0..<100 { _ = refusal(limiter, alice) }
        #expect(refusal(limiter, alice, at: .seconds(1)) == nil)
        // An hour of quiet refills to the burst, not to 3600.
        #expect(refusal(limiter, alice, at: .seconds(3600)) == nil)
        #expect(refusal(limiter, alice, at: .seconds(3600)) == nil)
        #expect(refusal(limiter, alice, at: .seconds(3600)) != nil)
    }

    @Test func oneDevicesFloodLeavesAnotherDeviceAndAnotherClassAlone() {
        let limiter = RateLimiter(settings: RateLimitSettings(device: [.push: RateRule(perMinute: 60, burst: 1), .pull: RateRule(perMinute: 60, burst: 1)],
                                                             tenant: [.push: RateRule(perMinute: 600, burst: 10)],
                                                             maxSessionsPerDevice: nil, maxSessionsPerTenant: nil))
        #expect(refusal(limiter, alice) == nil)
        for _ in 0..<1000 { #expect(refusal(limiter, alice) != nil) }
        #expect(refusal(limiter, bob) == nil, "alice's refused pushes must not spend the tenant's tokens")
        #expect(refusal(limiter, alice, .pull) == nil)
    }

    @Test func aTenantLimitCountsEveryDeviceAndNotOtherTenants() {
        let limiter = limiter(tenant: RateRule(perMinute: 1, burst: 2))
        #expect(refusal(limiter, alice) == nil)
        #expect(refusal(limiter, bob) == nil)
        #expect(refusal(limiter, alice) == 60_000)
        #expect(refusal(limiter, bob) == 60_000)
        #expect(refusal(limiter, other) == nil)
    }

    @Test func tokensWithoutADeviceAreCountedPerUser() {
        let limiter = limiter(device: RateRule(perMinute: 60, burst: 1))
        let opsA = Principal(tenant: "acme", user: "ops-a", device: nil, roles: ["operator"])
        let opsB = Principal(tenant: "acme", user: "ops-b", device: nil, roles: ["operator"])
        #expect(refusal(limiter, opsA) == nil)
        #expect(refusal(limiter, opsA) != nil)
        #expect(refusal(limiter, opsB) == nil)
    }

    @Test func anOverrideAppliesToItsTenantUntilReset() {
        let limiter = limiter(device: RateRule(perMinute: 6000, burst: 100))
        limiter.override(tenant: "acme", RateLimit(class: .push, scope: .device, perMinute: 60, burst: 1))
        #expect(refusal(limiter, alice) == nil)
        #expect(refusal(limiter, alice) == 1000)
        #expect(refusal(limiter, other) == nil)
        #expect(refusal(limiter, other) == nil)
        limiter.reset(tenant: "acme")
        for _ in 0..<100 { #expect(refusal(limiter, alice) == nil) }
    }

    @Test func unlimitedClassesAreNeverRefused() {
        let limiter = RateLimiter(settings: .unlimited)
        for _ in 0..<10_000 { #expect(refusal(limiter, alice) == nil) }
        #expect(limiter.bucketCount == 0)
    }

    @Test func bucketsThatRefilledAreForgottenSoMemoryFollowsActiveDevices() {
        let limiter = limiter(device: RateRule(perMinute: 60, burst: 5))
        for index in 0..<(RateLimiter.sweepFloor + 10) {
            _ = refusal(limiter, Principal(tenant: "acme", user: "u", device: "d\(index)"))
        }
        let afterBurst = limiter.bucketCount
        #expect(afterBurst <= RateLimiter.sweepFloor + 10)
        // Five seconds later every bucket is full again: the next sweep forgets them all.
        for index in 0..<(RateLimiter.sweepFloor + 10) {
            _ = refusal(limiter, Principal(tenant: "acme", user: "u", device: "e\(index)"), at: .seconds(10))
        }
        #expect(limiter.bucketCount < 2 * RateLimiter.sweepFloor)
    }

    @Test func sessionsAreLimitedPerDeviceAndPerTenant() throws {
        let limiter = limiter()
        try limiter.checkSessionRoom(alice)
        limiter.openSession(alice)
        limiter.openSession(alice)
        #expect(throws: ServiceError.self) { try limiter.checkSessionRoom(alice) }
        try limiter.checkSessionRoom(bob)
        limiter.openSession(bob)
        #expect(throws: ServiceError.self) { try limiter.checkSessionRoom(bob) }
        try limiter.checkSessionRoom(other)
        limiter.closeSession(alice)
        try limiter.checkSessionRoom(bob)
        limiter.closeSession(alice)
        limiter.closeSession(alice)
        limiter.openSession(alice)
        limiter.openSession(alice)
        #expect(throws: ServiceError.self) { try limiter.checkSessionRoom(alice) }
    }
}
