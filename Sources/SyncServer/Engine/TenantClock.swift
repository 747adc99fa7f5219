import Foundation
import Synchronization

/// The server's time per tenant: the real clock plus the tenant's test-control offset.
///
/// Total arithmetic: however the offset is moved (TEST-5 takes any non-negative `set_ms` and
/// `advance_ms`, repeatedly), a tenant's time stays within `0...latestTime`, so no request can
/// overflow it or the arithmetic done on it downstream.
public final class TenantClock: Sendable {
    /// The latest time a tenant's clock shows: the last millisecond of the year 9999.
    public static let latestTime: Int64 = 253_402_300_799_999

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
        Self.clamped(realNow(), plus: offset(tenant: tenant))
    }

    /// The tenant's offset from the real clock, in milliseconds.
    public func offset(tenant: String) -> Int64 {
        offsets.withLock { $0[tenant] ?? 0 }
    }

    /// Moves the tenant's clock forward (or back) by `milliseconds`.
    /// Saturates at `latestTime` (and at 0 going back).
    public func advance(tenant: String, by milliseconds: Int64) {
        update(tenant: tenant) { offset, now in Self.offset(advancing: offset, by: milliseconds, realNow: now) }
    }

    /// Sets the tenant's time to `time` (milliseconds since the epoch), clamped to `0...latestTime`.
    public func set(tenant: String, to time: Int64) {
        update(tenant: tenant) { _, now in Self.offset(setting: time, realNow: now) }
    }

    /// Replaces the tenant's offset with `change(offset, realNow)`, atomically.
    public func update(tenant: String, _ change: (Int64, Int64) -> Int64) {
        let now = realNow()
        offsets.withLock { offsets in
            let offset = change(offsets[tenant] ?? 0, now)
            offsets[tenant] = offset == 0 ? nil : offset
        }
    }

    /// Gives the tenant `offset` as it is (one a `ClockStore` holds); 0 is the real clock.
    public func setOffset(_ offset: Int64, tenant: String) {
        offsets.withLock { $0[tenant] = offset == 0 ? nil : offset }
    }

    /// Replaces every tenant's offset with `offsets` (those a `ClockStore` holds).
    public func restore(_ offsets: [String: Int64]) {
        self.offsets.withLock { $0 = offsets.filter { $0.value != 0 } }
    }

    /// The offset that moves a clock at `offset` by `milliseconds`, at real time `realNow`.
    public static func offset(advancing offset: Int64, by milliseconds: Int64, realNow: Int64) -> Int64 {
        clamped(clamped(realNow, plus: offset), plus: milliseconds) - realNow
    }

    /// The offset that shows `time` (clamped to `0...latestTime`) at real time `realNow`.
    public static func offset(setting time: Int64, realNow: Int64) -> Int64 {
        min(max(time, 0), latestTime) - realNow
    }

    /// `time + offset` within `0...latestTime`, without overflowing on the way.
    private static func clamped(_ time: Int64, plus offset: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(offset)
        if overflow { return offset > 0 ? latestTime : 0 }
        return min(max(sum, 0), latestTime)
    }

    /// Back to the real clock.
    public func reset(tenant: String) {
        _ = offsets.withLock { $0.removeValue(forKey: tenant) }
    }
}
