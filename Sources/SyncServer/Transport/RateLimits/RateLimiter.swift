import Synchronization
import SyncProtocol

/// Applies the rate limits (LIM-4, LIM-6): for each request, the bucket of its device (or user)
/// and the bucket of its tenant for the request's class; a request is admitted only when both
/// have a token, and a refused request takes none, so one device's flood never uses another's
/// allowance. Also counts the WebSocket sessions open per device and per tenant. Test control
/// may replace a tenant's rules (TEST-6) until the tenant is reset.
///
/// A lock rather than an actor: every request passes here, and the work under the lock is a few
/// dictionary operations. Buckets that refilled completely are forgotten in sweeps, so memory
/// follows the devices active within a bucket's refill time.
final class RateLimiter: Sendable {
    private struct Key: Hashable {
        let tenant: String
        /// `d:<device>` or `u:<user>`; `nil` for the tenant's bucket.
        let subject: String?
        let rateClass: RateClass
    }

    private struct RuleKey: Hashable {
        let rateClass: RateClass
        let scope: RateScope
    }

    private struct State {
        var buckets: [Key: TokenBucket] = [:]
        var overrides: [String: [RuleKey: RateRule]] = [:]
        var sessionsPerSubject: [String: Int] = [:]
        var sessionsPerTenant: [String: Int] = [:]
        var nextSweep = RateLimiter.sweepFloor
    }

    /// Bucket count at which the first sweep runs; later sweeps run at twice the count left.
    static let sweepFloor = 10_000

    private let settings: RateLimitSettings
    private let state = Mutex(State())

    /// A limiter applying `settings`.
    init(settings: RateLimitSettings) {
        self.settings = settings
    }

    /// Admits one request of `principal` in `rateClass`, taking a token from its device's and its
    /// tenant's bucket; otherwise throws `rate_limited` with the wait until both have one.
    func admit(_ principal: Principal, _ rateClass: RateClass, now: ContinuousClock.Instant = .now) throws(ServiceError) {
        let wait = check(principal, rateClass, now: now, take: true)
        guard wait > .zero else { return }
        throw Self.refusal(rateClass, wait: wait)
    }

    /// The `rate_limited` refusal `admit` would give now, without taking a token; `nil` when it
    /// would admit. `RateLimitGate` answers with it before a request is routed.
    func refusal(for principal: Principal, _ rateClass: RateClass, now: ContinuousClock.Instant = .now) -> ServiceError? {
        let wait = check(principal, rateClass, now: now, take: false)
        return wait > .zero ? Self.refusal(rateClass, wait: wait) : nil
    }

    /// The wait until both buckets of the request have a token (zero when they have one now),
    /// taking one from each when `take` and there is no wait.
    private func check(_ principal: Principal, _ rateClass: RateClass, now: ContinuousClock.Instant, take: Bool) -> Duration {
        state.withLock { state -> Duration in
            let deviceRule = rule(rateClass, .device, tenant: principal.tenant, in: state)
            let tenantRule = rule(rateClass, .tenant, tenant: principal.tenant, in: state)
            var keys: [(Key, RateRule)] = []
            if let deviceRule { keys.append((Key(tenant: principal.tenant, subject: Self.subject(of: principal), rateClass: rateClass), deviceRule)) }
            if let tenantRule { keys.append((Key(tenant: principal.tenant, subject: nil, rateClass: rateClass), tenantRule)) }
            var longest = Duration.zero
            for (key, rule) in keys {
                var bucket = state.buckets[key] ?? TokenBucket(rule: rule, now: now)
                bucket.refill(rule, now: now)
                longest = max(longest, bucket.wait(rule))
                state.buckets[key] = bucket
            }
            guard longest == .zero, take else { return longest }
            for (key, _) in keys { state.buckets[key]?.take() }
            if state.buckets.count >= state.nextSweep { sweep(&state, now: now) }
            return .zero
        }
    }

    private static func refusal(_ rateClass: RateClass, wait: Duration) -> ServiceError {
        refusal(rateClass, retryAfterMilliseconds: milliseconds(wait))
    }

    /// The refusal of a request of `rateClass` that may be sent again after the delay.
    static func refusal(_ rateClass: RateClass, retryAfterMilliseconds: Int64) -> ServiceError {
        ServiceError(.rateLimited, "too many \(rateClass.rawValue) requests; retry after the delay",
                     retryAfterMilliseconds: retryAfterMilliseconds)
    }

    /// Throws `rate_limited` when the device or tenant of `principal` already has the most
    /// WebSocket sessions allowed open, so that the upgrade is refused before switching (LIM-6).
    func checkSessionRoom(_ principal: Principal) throws(ServiceError) {
        let refusal = state.withLock { state -> String? in
            let device = state.sessionsPerSubject[Self.sessionKey(principal), default: 0]
            let tenant = state.sessionsPerTenant[principal.tenant, default: 0]
            if let most = settings.maxSessionsPerDevice, device >= most { return "this device already has \(most) sessions open" }
            if let most = settings.maxSessionsPerTenant, tenant >= most { return "this tenant already has \(most) sessions open" }
            return nil
        }
        if let refusal {
            throw ServiceError(.rateLimited, refusal + "; close one or retry later", retryAfterMilliseconds: 1000)
        }
    }

    /// Counts a session that started; balance it with `closeSession`. Upgrades of one device
    /// racing past `checkSessionRoom` together may exceed the limit by the number racing.
    func openSession(_ principal: Principal) {
        state.withLock { state in
            state.sessionsPerSubject[Self.sessionKey(principal), default: 0] += 1
            state.sessionsPerTenant[principal.tenant, default: 0] += 1
        }
    }

    /// Forgets a session counted by `openSession`.
    func closeSession(_ principal: Principal) {
        state.withLock { state in
            Self.decrement(&state.sessionsPerSubject, Self.sessionKey(principal))
            Self.decrement(&state.sessionsPerTenant, principal.tenant)
        }
    }

    /// Replaces the tenant's rule for one class and scope, starting with a full bucket (TEST-6).
    func override(tenant: String, _ limit: RateLimit) {
        state.withLock { state in
            let rule = RateRule(perMinute: limit.perMinute, burst: limit.burst)
            state.overrides[tenant, default: [:]][RuleKey(rateClass: limit.class, scope: limit.scope)] = rule
            state.buckets = state.buckets.filter { $0.key.tenant != tenant || $0.key.rateClass != limit.class }
        }
    }

    /// Restores the server's own rules for the tenant and forgets its buckets (TEST-3).
    func reset(tenant: String) {
        state.withLock { state in
            state.overrides[tenant] = nil
            state.buckets = state.buckets.filter { $0.key.tenant != tenant }
        }
    }

    /// Buckets held, for tests.
    var bucketCount: Int { state.withLock { $0.buckets.count } }

    private func rule(_ rateClass: RateClass, _ scope: RateScope, tenant: String, in state: State) -> RateRule? {
        state.overrides[tenant]?[RuleKey(rateClass: rateClass, scope: scope)] ?? settings.rule(rateClass, scope)
    }

    /// Forgets the buckets that are full again: a new bucket for the same key would be the same.
    private func sweep(_ state: inout State, now: ContinuousClock.Instant) {
        let snapshot = state
        state.buckets = state.buckets.filter { key, bucket in
            guard let rule = rule(key.rateClass, key.subject == nil ? .tenant : .device, tenant: key.tenant, in: snapshot) else { return false }
            var refilled = bucket
            refilled.refill(rule, now: now)
            return !refilled.isFull(rule)
        }
        state.nextSweep = max(Self.sweepFloor, state.buckets.count * 2)
    }

    private static func subject(of principal: Principal) -> String {
        if let device = principal.device { "d:" + device } else { "u:" + principal.user }
    }

    private static func sessionKey(_ principal: Principal) -> String {
        principal.tenant + "\u{0}" + subject(of: principal)
    }

    private static func decrement(_ counts: inout [String: Int], _ key: String) {
        guard let count = counts[key] else { return }
        counts[key] = count > 1 ? count - 1 : nil
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
