public import SyncProtocol

/// One rate limit: a bucket of `burst` requests refilled at `perMinute` a minute.
public struct RateRule: Sendable, Hashable {
    /// Requests a minute the bucket refills (at least 1).
    public var perMinute: Int64
    /// The bucket's size: requests accepted at once after a quiet period (at least 1).
    public var burst: Int64

    /// Creates a rule; values below 1 are raised to 1.
    public init(perMinute: Int64, burst: Int64) {
        self.perMinute = max(1, perMinute)
        self.burst = max(1, burst)
    }

    /// The refill rate in requests a second.
    var perSecond: Double { Double(perMinute) / 60 }
}

/// The rate limits of a server (LIM-4): a rule per request class for each device (or user,
/// for tokens without a device) and for each tenant, and the WebSocket sessions open at once
/// per device and per tenant. `nil` disables a limit.
public struct RateLimitSettings: Sendable, Hashable {
    /// Each device's (or user's) limit per class.
    public var device: [RateClass: RateRule]
    /// Each tenant's limit per class, all its devices and users together.
    public var tenant: [RateClass: RateRule]
    /// Most WebSocket sessions one device may hold open at once.
    public var maxSessionsPerDevice: Int?
    /// Most WebSocket sessions one tenant may hold open at once.
    public var maxSessionsPerTenant: Int?

    /// Settings with the given rules.
    public init(device: [RateClass: RateRule], tenant: [RateClass: RateRule], maxSessionsPerDevice: Int?, maxSessionsPerTenant: Int?) {
        self.device = device
        self.tenant = tenant
        self.maxSessionsPerDevice = maxSessionsPerDevice
        self.maxSessionsPerTenant = maxSessionsPerTenant
    }

    /// No limits at all (benchmarks that measure the server's own capacity).
    public static let unlimited = RateLimitSettings(device: [:], tenant: [:], maxSessionsPerDevice: nil, maxSessionsPerTenant: nil)

    /// The defaults: generous for a well-behaved client (a device pushing a batch a second
    /// stays far below its limit), tight enough that one flooding device takes at most a small
    /// share of the node.
    public static let defaults = RateLimitSettings(
        device: [
            .push: RateRule(perMinute: 6_000, burst: 1_000),
            .pull: RateRule(perMinute: 12_000, burst: 1_000),
            .uploads: RateRule(perMinute: 12_000, burst: 1_000),
            .operator: RateRule(perMinute: 6_000, burst: 500),
        ],
        tenant: [
            .push: RateRule(perMinute: 120_000, burst: 10_000),
            .pull: RateRule(perMinute: 240_000, burst: 20_000),
            .uploads: RateRule(perMinute: 240_000, burst: 20_000),
            .operator: RateRule(perMinute: 60_000, burst: 5_000),
        ],
        maxSessionsPerDevice: 16,
        maxSessionsPerTenant: 10_000
    )

    /// The rule for a class and scope, `nil` when unlimited.
    func rule(_ rateClass: RateClass, _ scope: RateScope) -> RateRule? {
        switch scope {
        case .device: device[rateClass]
        case .tenant: tenant[rateClass]
        }
    }
}
