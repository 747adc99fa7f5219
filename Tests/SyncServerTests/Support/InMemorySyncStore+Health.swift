@testable import SyncServer
import SyncProtocol

/// One tenant's health and analytics data in the in-memory store.
struct TenantHealth: Sendable {
    /// Per device: latest user, last sync and `hello` client (sync counts unused here).
    var devices: [String: DeviceHealthRecord] = [:]
    /// Every sync: device, answer time, failed.
    var syncs: [(device: String, at: Int64, failed: Bool)] = []
    /// Hourly counters by hour start.
    var hours: [Int64: HourlyStats] = [:]
}

extension InMemorySyncStore {
    func recordActivity(_ events: [ActivityEvent]) async throws {
        state.withLock { state in
            for event in events {
                var health = state.health[event.tenant] ?? TenantHealth()
                switch event {
                case .sync(let sync):
                    var device = health.devices[sync.device]
                        ?? DeviceHealthRecord(device: sync.device, user: sync.user, lastSyncAt: nil, client: nil, syncs: 0, failedSyncs: 0)
                    device.user = sync.user
                    device.lastSyncAt = sync.at
                    health.devices[sync.device] = device
                    health.syncs.append((sync.device, sync.at, sync.failed))
                    health.hours[HourlyStats.hourStart(of: sync.at), default: HourlyStats(hourStart: HourlyStats.hourStart(of: sync.at))].add(event)
                case .hello(let hello):
                    var device = health.devices[hello.device]
                        ?? DeviceHealthRecord(device: hello.device, user: hello.user, lastSyncAt: nil, client: nil, syncs: 0, failedSyncs: 0)
                    device.user = hello.user
                    device.client = hello.client
                    health.devices[hello.device] = device
                case .upload(let upload):
                    health.hours[HourlyStats.hourStart(of: upload.at), default: HourlyStats(hourStart: HourlyStats.hourStart(of: upload.at))].add(event)
                }
                state.health[event.tenant] = health
            }
        }
    }

    func deviceHealth(tenant: String, device: String, since: Int64, until: Int64) async throws -> DeviceHealthRecord? {
        let health = snapshot.health[tenant] ?? TenantHealth()
        return health.devices[device].map { counted($0, in: health, since: since, until: until) }
    }

    func deviceHealthList(tenant: String, after afterDevice: String?, limit: Int, since: Int64, until: Int64) async throws -> [DeviceHealthRecord] {
        let health = snapshot.health[tenant] ?? TenantHealth()
        return health.devices.values.filter { afterDevice == nil || $0.device > afterDevice! }.sorted { $0.device < $1.device }
            .prefix(limit).map { counted($0, in: health, since: since, until: until) }
    }

    func hourlyStats(tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats] {
        (snapshot.health[tenant]?.hours.map(\.value) ?? []).filter { $0.hourStart >= from && $0.hourStart < to }.sorted { $0.hourStart < $1.hourStart }
    }

    private func counted(_ record: DeviceHealthRecord, in health: TenantHealth, since: Int64, until: Int64) -> DeviceHealthRecord {
        var record = record
        let window = health.syncs.filter { $0.device == record.device && $0.at > since && $0.at <= until }
        record.syncs = Int64(window.count)
        record.failedSyncs = Int64(window.filter(\.failed).count)
        return record
    }
}
