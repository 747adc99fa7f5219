import Foundation
public import SyncProtocol

extension SyncEngine {
    /// The trailing window of device health (HEALTH-2).
    static let healthWindowMs: Int64 = 24 * HealthMath.hourMs

    /// One device's health (HEALTH-2): its own device token, or an operator for any device of the
    /// tenant (AUTH-6); `not_found` for a device that never connected or pushed.
    public func deviceHealth(_ principal: Principal, deviceId: String) async throws(ServiceError) -> DeviceHealth {
        guard principal.isOperator || principal.device == deviceId else {
            throw ServiceError(.forbidden, "reading another device's health needs the operator role")
        }
        let tenant = principal.tenant
        let now = clock.now(tenant: tenant)
        let record = try await storage {
            try await activity.flush()
            return try await store.deviceHealth(tenant: tenant, device: deviceId, since: now - Self.healthWindowMs, until: now)
        }
        guard let record else { throw ServiceError(.notFound, "no device with this id has connected or pushed") }
        return HealthMath.deviceHealth(record)
    }

    /// The tenant's devices ordered by id, optionally only those at `alertLevel` (operators only).
    public func deviceHealthList(_ principal: Principal, alertLevel: AlertLevel?, cursor: String?, limit: Int64?) async throws(ServiceError) -> DeviceHealthPage {
        try requireOperator(principal)
        let pageSize = limit ?? Limits.defaultListPage
        guard (1...Limits.maxListPage).contains(pageSize) else {
            throw ServiceError(.invalidMessage, "limit must be between 1 and \(Limits.maxListPage)",
                               issues: [WireIssue(path: "limit", message: "must be between 1 and \(Limits.maxListPage)")])
        }
        let after = try cursor.map { cursor throws(ServiceError) in try DeviceCursor.decode(cursor) }
        let devices = try await healthOfDevices(tenant: principal.tenant, after: after, wanted: Int(pageSize) + 1) { health in
            alertLevel == nil || health.alertLevel == alertLevel
        }
        let page = Array(devices.prefix(Int(pageSize)))
        let hasMore = devices.count > page.count
        return DeviceHealthPage(devices: page, nextCursor: hasMore ? page.last.map { DeviceCursor.encode($0.deviceId) } : nil, hasMore: hasMore)
    }

    /// The tenant's hourly snapshots in `[from, to)` and its current alerts (HEALTH-3..5;
    /// operators only). `to` defaults to the tenant's now, `from` to 24 hours before `to` but not
    /// before the epoch, so a defaulted range may be empty (`to=0`) and is answered, not refused.
    public func tenantAnalytics(_ principal: Principal, from: Int64?, to: Int64?) async throws(ServiceError) -> TenantAnalytics {
        try requireOperator(principal)
        let tenant = principal.tenant
        let now = clock.now(tenant: tenant)
        let end = to ?? now
        let start = from ?? max(0, end - Self.healthWindowMs)
        guard start < end || from == nil else {
            throw ServiceError(.invalidMessage, "from must be before to", issues: [WireIssue(path: "from", message: "not before to")])
        }
        guard end - start <= Limits.maxAnalyticsRangeSeconds * 1000 else {
            throw ServiceError(.invalidMessage, "the range may cover at most \(Limits.maxAnalyticsRangeSeconds) seconds",
                               issues: [WireIssue(path: "from", message: "more than max_analytics_range_seconds before to")])
        }
        let hours = try await storage {
            try await activity.flush()
            return try await store.hourlyStats(tenant: tenant, from: start, to: end)
        }
        let snapshots = hours.map { HealthMath.snapshot($0, now: now) }
        let unhealthy = try await healthOfDevices(tenant: tenant, after: nil, wanted: nil) { $0.healthScore < 80 }
        let deviceAlerts = unhealthy.compactMap { AlertThreshold.deviceHealthScore.alert(for: Double($0.healthScore), deviceId: $0.deviceId) }
        return TenantAnalytics(from: start, to: end, snapshots: snapshots,
                               alerts: (snapshots.last.map(HealthMath.alerts(of:)) ?? []) + deviceAlerts)
    }

    /// Records an upload session that ended, for analytics and metrics; the upload service calls
    /// it when a session is finalized, cancelled or expires.
    public func recordUpload(tenant: String, outcome: UploadOutcome) {
        activity.record(.upload(UploadActivity(tenant: tenant, outcome: outcome, at: clock.now(tenant: tenant))))
        metrics.recordUpload(outcome)
    }

    /// Health of the tenant's devices after `after` in id order that pass `include`, until
    /// `wanted` (all when `nil`), reading the store a page at a time.
    private func healthOfDevices(tenant: String, after: String?, wanted: Int?,
                                 include: (DeviceHealth) -> Bool) async throws(ServiceError) -> [DeviceHealth] {
        let now = clock.now(tenant: tenant)
        let chunk = Int(Limits.maxListPage)
        var found: [DeviceHealth] = []
        var position = after
        try await storage { try await activity.flush() }
        while wanted.map({ found.count < $0 }) ?? true {
            let records = try await storage { [position] in
                try await store.deviceHealthList(tenant: tenant, after: position, limit: chunk, since: now - Self.healthWindowMs, until: now)
            }
            for record in records {
                let health = HealthMath.deviceHealth(record)
                if include(health) { found.append(health) }
                if let wanted, found.count == wanted { return found }
            }
            guard records.count == chunk, let last = records.last else { break }
            position = last.device
        }
        return found
    }
}

/// The opaque `listDeviceHealth` cursor: `d_` and the last device id of the page in base64url,
/// which fits the cursor pattern whatever characters the id has.
enum DeviceCursor {
    static func encode(_ device: String) -> String {
        "d_" + Data(device.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws(ServiceError) -> String {
        let invalid = ServiceError(.invalidCursor, "the cursor was not issued by listDeviceHealth")
        guard cursor.hasPrefix("d_") else { throw invalid }
        var base64 = cursor.dropFirst(2).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let device = String(data: data, encoding: .utf8), !device.isEmpty,
              encode(device) == cursor else { throw invalid }
        return device
    }
}
