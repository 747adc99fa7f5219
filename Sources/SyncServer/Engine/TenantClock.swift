import Foundation
import Synchronization

/// The server's time per tenant: the real clock plus the tenant's test-control offset.
public final class TenantClock: Sendable {
    private let offsets = Mutex<[String: Int64]>([:])
    private let realNow: @Sendable () -> Int64

    /// Creates a clock over `realNow` (milliseconds since the epoch; the system clock by default).
    public init(realNow: (@Sendable () -> Int64)? = nil) {
        self.realNow = realNow ?? { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    }

    /// The real time, without any tenant's offset, in milliseconds since the epoch.
    public func realTime() -> Int64 {
        realNow()
    }

    /// The tenant's current time in milliseconds since the epoch.
    public func now(tenant: String) -> Int64 {
        realNow() + offset(tenant: tenant)
    }

    /// The tenant's offset from the real clock, in milliseconds.
    public func offset(tenant: String) -> Int64 {
        offsets.withLock { $0[tenant] ?? 0 }
    }

    /// Moves the tenant's clock forward (or back) by `milliseconds`.
    public func advance(tenant: String, by milliseconds: Int64) {
        offsets.withLock { $0[tenant, default: 0] += milliseconds }
    }

    /// Sets the tenant's time to `time` (milliseconds since the epoch).
    public func set(tenant: String, to time: Int64) {
        let now = realNow()
        offsets.withLock { $0[tenant] = time - now }
    }

    /// Back to the real clock.
    public func reset(tenant: String) {
        _ = offsets.withLock { $0.removeValue(forKey: tenant) }
    }
}
