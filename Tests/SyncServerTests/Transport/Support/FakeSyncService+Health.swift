@testable import SyncServer
import SyncProtocol

// Health and analytics of the fake: records the call, answers canned values.
extension FakeSyncService {
    func deviceHealth(_ principal: Principal, deviceId: String) async throws(ServiceError) -> DeviceHealth {
        try record(principal, .deviceHealth(deviceId: deviceId), .deviceHealth)
        var health = Self.deviceHealth
        health.deviceId = deviceId
        return health
    }

    func deviceHealthList(_ principal: Principal, alertLevel: AlertLevel?, cursor: String?, limit: Int64?) async throws(ServiceError) -> DeviceHealthPage {
        try record(principal, .deviceHealthList(alertLevel: alertLevel, cursor: cursor, limit: limit), .deviceHealthList)
        return DeviceHealthPage(devices: [Self.deviceHealth], nextCursor: "d_aW9zLTE", hasMore: true)
    }

    func tenantAnalytics(_ principal: Principal, from: Int64?, to: Int64?) async throws(ServiceError) -> TenantAnalytics {
        try record(principal, .tenantAnalytics(from: from, to: to), .tenantAnalytics)
        return TenantAnalytics(from: from ?? 1_767_139_200_000, to: to ?? 1_767_225_600_000, snapshots: [], alerts: [])
    }

    static let deviceHealth = DeviceHealth(
        deviceId: "ios-1", userId: "user-1", successRate: 0.75, syncsTotal: 8, syncsFailed: 2, lastSyncAt: 1_767_225_000_000,
        networkType: .unknown, appVersion: "unknown", osVersion: "unknown", healthScore: 75, alertLevel: .warning)
}
