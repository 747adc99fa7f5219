import SyncProtocol

// MARK: - Device health and tenant analytics (HEALTH-1..5)

extension StoreQueries {
    /// Writes a batch of events; the caller holds a transaction. A few multi-row statements per
    /// batch, whatever its size: each device's row ends as the events in order would leave it
    /// (user of its last event, time of its last sync, client of its last hello), each sync is a
    /// row, and hourly counters are summed per tenant hour and latency bucket first.
    static func recordActivity(on connection: some SQLExecutor, _ events: [ActivityEvent]) async throws {
        var hours: [String: (tenant: String, stats: HourlyStats)] = [:]
        var devices = DeviceRows()
        var syncs: [[SQLValue]] = []
        var newestSync: [String: (tenant: String, device: String, at: Int64)] = [:]
        for event in events {
            switch event {
            case .sync(let sync):
                devices.add(tenant: sync.tenant, device: sync.device, user: sync.user, syncAt: sync.at, client: nil)
                syncs.append([.text(sync.tenant), .text(sync.device), .int64(sync.at), .flag(sync.failed)])
                let key = sync.tenant + "\u{0}" + sync.device
                newestSync[key] = (sync.tenant, sync.device, max(sync.at, newestSync[key]?.at ?? .min))
                addToHour(&hours, event, tenant: sync.tenant, at: sync.at)
            case .hello(let hello):
                devices.add(tenant: hello.tenant, device: hello.device, user: hello.user, syncAt: nil, client: StoreJSON.text(hello.client))
            case .upload(let upload):
                addToHour(&hours, event, tenant: upload.tenant, at: upload.at)
            }
        }
        try await devices.write(on: connection)
        try await insertRows(on: connection, "INSERT INTO device_syncs (tenant, device, at, failed)", width: 4, rows: syncs,
                             operation: "recordActivity")
        // Health looks back 24 hours; older sync rows of the devices just written are dead weight.
        // The rows to delete are found from the devices through the (tenant, device, at) index:
        // a condition on every row of device_syncs (as `EXISTS` over the values was) scans the
        // whole table in each flush, and the table grows with every push.
        let stale = newestSync.values.map { [SQLValue.text($0.tenant), .text($0.device), .int64($0.at - 86_400_000)] }
        for chunk in chunks(stale, width: 3) {
            let values = Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ")
            try await connection.run("""
                DELETE FROM device_syncs WHERE (tenant, device, at) IN (
                    SELECT s.tenant, s.device, s.at FROM (VALUES \(values)) AS v
                    JOIN device_syncs AS s ON s.tenant = v.column1 AND s.device = v.column2 AND s.at <= v.column3)
                """, chunk.flatMap { $0 }, operation: "recordActivity")
        }
        for (tenant, stats) in hours.values {
            try await saveHour(on: connection, tenant: tenant, stats)
        }
    }

    /// Each device's `device_health` row as a batch of events leaves it.
    private struct DeviceRows {
        private var order: [String] = []
        private var rows: [String: (tenant: String, device: String, user: String, syncAt: Int64?, client: SQLValue?)] = [:]

        mutating func add(tenant: String, device: String, user: String, syncAt: Int64?, client: SQLValue?) {
            let key = tenant + "\u{0}" + device
            guard let known = rows[key] else {
                order.append(key)
                rows[key] = (tenant, device, user, syncAt, client)
                return
            }
            rows[key] = (tenant, device, user, syncAt ?? known.syncAt, client ?? known.client)
        }

        /// One upsert per kind of row: synced, said hello, or both (which columns it updates).
        func write(on connection: some SQLExecutor) async throws {
            let all = order.compactMap { rows[$0] }
            let kinds: [(rows: [[SQLValue]], set: String)] = [
                (all.filter { $0.syncAt != nil && $0.client == nil }.map { [.text($0.tenant), .text($0.device), .text($0.user), .optional($0.syncAt), .null] },
                 "last_sync_at = excluded.last_sync_at"),
                (all.filter { $0.syncAt == nil && $0.client != nil }.map { [.text($0.tenant), .text($0.device), .text($0.user), .null, $0.client ?? .null] },
                 "client = excluded.client"),
                (all.filter { $0.syncAt != nil && $0.client != nil }.map {
                    [.text($0.tenant), .text($0.device), .text($0.user), .optional($0.syncAt), $0.client ?? .null]
                }, "last_sync_at = excluded.last_sync_at, client = excluded.client"),
            ]
            for kind in kinds where !kind.rows.isEmpty {
                try await insertRows(on: connection, "INSERT INTO device_health (tenant, device, user_id, last_sync_at, client)", width: 5,
                                     rows: kind.rows, tail: "ON CONFLICT (tenant, device) DO UPDATE SET user_id = excluded.user_id, " + kind.set,
                                     operation: "recordActivity")
            }
        }
    }

    private static func addToHour(_ hours: inout [String: (tenant: String, stats: HourlyStats)], _ event: ActivityEvent, tenant: String, at: Int64) {
        let hourStart = HourlyStats.hourStart(of: at)
        let key = "\(tenant)\u{0}\(hourStart)"
        var entry = hours[key] ?? (tenant, HourlyStats(hourStart: hourStart))
        entry.stats.add(event)
        hours[key] = entry
    }

    private static func saveHour(on connection: some SQLExecutor, tenant: String, _ stats: HourlyStats) async throws {
        try await connection.run("""
            INSERT INTO tenant_hours (tenant, hour_start, syncs, failed_syncs, mutations, conflicts, uploads_finalized, uploads_abandoned)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, hour_start) DO UPDATE SET
                syncs = tenant_hours.syncs + excluded.syncs, failed_syncs = tenant_hours.failed_syncs + excluded.failed_syncs,
                mutations = tenant_hours.mutations + excluded.mutations, conflicts = tenant_hours.conflicts + excluded.conflicts,
                uploads_finalized = tenant_hours.uploads_finalized + excluded.uploads_finalized,
                uploads_abandoned = tenant_hours.uploads_abandoned + excluded.uploads_abandoned
            """, [
                .text(tenant), .int64(stats.hourStart), .int64(stats.syncs), .int64(stats.failedSyncs), .int64(stats.mutations),
                .int64(stats.conflicts), .int64(stats.uploadsFinalized), .int64(stats.uploadsAbandoned),
            ], operation: "recordActivity")
        try await insertRows(on: connection, "INSERT INTO tenant_hour_latency (tenant, hour_start, latency_ms, count)", width: 4,
                             rows: stats.latencyCounts.sorted { $0.key < $1.key }.map { [.text(tenant), .int64(stats.hourStart), .int64($0.key), .int64($0.value)] },
                             tail: "ON CONFLICT (tenant, hour_start, latency_ms) DO UPDATE SET count = tenant_hour_latency.count + excluded.count",
                             operation: "recordActivity")
    }

    /// Device rows with their sync counts in `(since, until]`, optionally one device or those after one.
    static func deviceHealth(on connection: some SQLExecutor, tenant: String, device: String?, after: String?, limit: Int,
                             since: Int64, until: Int64) async throws -> [DeviceHealthRecord] {
        guard limit > 0 else { return [] }
        var sql = """
            SELECT h.device, h.user_id, h.last_sync_at, h.client,
                (SELECT COUNT(*) FROM device_syncs s WHERE s.tenant = h.tenant AND s.device = h.device AND s.at > ? AND s.at <= ?) AS syncs,
                (SELECT COUNT(*) FROM device_syncs s WHERE s.tenant = h.tenant AND s.device = h.device AND s.at > ? AND s.at <= ?
                    AND s.failed = 1) AS failed_syncs
            FROM device_health h WHERE h.tenant = ?
            """
        var binds: [SQLValue] = [.int64(since), .int64(until), .int64(since), .int64(until), .text(tenant)]
        if let device {
            sql += " AND h.device = ?"
            binds.append(.text(device))
        }
        if let after {
            sql += " AND h.device > ?"
            binds.append(.text(after))
        }
        sql += " ORDER BY h.device LIMIT ?"
        binds.append(.int(limit))
        return try await connection.rows(sql, binds, operation: "deviceHealth").map { row in
            let reader = StoreRowReader(row: row, operation: "deviceHealth")
            return DeviceHealthRecord(
                device: try reader.text("device"), user: try reader.text("user_id"), lastSyncAt: try reader.optionalInt("last_sync_at"),
                client: try reader.optionalJSON(ClientInfo.self, "client"), syncs: try reader.int("syncs"),
                failedSyncs: try reader.int("failed_syncs"))
        }
    }

    /// The tenant's hours starting in `[from, to)`, ascending, with their latency histograms: one
    /// statement (one row per hour and latency bucket), so counters and histograms are read from
    /// the same snapshot.
    static func hourlyStats(on connection: some SQLExecutor, tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats] {
        let rows = try await connection.rows("""
            SELECT h.hour_start, h.syncs, h.failed_syncs, h.mutations, h.conflicts, h.uploads_finalized, h.uploads_abandoned,
                   l.latency_ms, l.count
            FROM tenant_hours h LEFT JOIN tenant_hour_latency l ON l.tenant = h.tenant AND l.hour_start = h.hour_start
            WHERE h.tenant = ? AND h.hour_start >= ? AND h.hour_start < ? ORDER BY h.hour_start
            """, [.text(tenant), .int64(from), .int64(to)], operation: "hourlyStats")
        var hours: [HourlyStats] = []
        for row in rows {
            let reader = StoreRowReader(row: row, operation: "hourlyStats")
            let hourStart = try reader.int("hour_start")
            if hours.last?.hourStart != hourStart {
                var stats = HourlyStats(hourStart: hourStart)
                stats.syncs = try reader.int("syncs")
                stats.failedSyncs = try reader.int("failed_syncs")
                stats.mutations = try reader.int("mutations")
                stats.conflicts = try reader.int("conflicts")
                stats.uploadsFinalized = try reader.int("uploads_finalized")
                stats.uploadsAbandoned = try reader.int("uploads_abandoned")
                hours.append(stats)
            }
            if let latency = try reader.optionalInt("latency_ms") {
                hours[hours.count - 1].latencyCounts[latency] = try reader.int("count")
            }
        }
        return hours
    }
}
