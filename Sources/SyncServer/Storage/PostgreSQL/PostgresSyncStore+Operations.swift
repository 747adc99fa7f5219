public import SyncProtocol

// The `SyncStore` operations outside `write`: reads on a pooled connection, small writes in a
// transaction of their own.
extension PostgresSyncStore {
    public func changes(tenant: String, after position: Int64, limit: Int, collections: Set<String>?) async throws -> [ChangeEntry] {
        try await read { try await StoreQueries.changes(on: $0, tenant: tenant, after: position, limit: limit, collections: collections) }
    }

    public func latestPosition(tenant: String) async throws -> Int64 {
        try await read { try await StoreQueries.latestPosition(on: $0, tenant: tenant) }
    }

    public func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        try await read { try await StoreQueries.record(on: $0, tenant: tenant, collection: collection, id: id) }
    }

    public func deviceState(tenant: String, device: String) async throws -> DeviceState {
        try await read { try await StoreQueries.deviceState(on: $0, tenant: tenant, device: device) }
    }

    /// One upsert, which needs no tenant lock: it touches only the acknowledged position.
    public func acknowledge(tenant: String, device: String, position: Int64) async throws {
        try await transaction("acknowledge", lock: nil) {
            try await StoreQueries.acknowledge(on: $0, tenant: tenant, device: device, position: position)
        }
    }

    public func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        try await read { try await StoreQueries.idempotency(on: $0, tenant: tenant, device: device, key: key) }
    }

    public func purgeIdempotency(before cutoff: Int64) async throws -> Int {
        try await transaction("purgeIdempotency", lock: nil) { try await StoreQueries.purgeIdempotency(on: $0, before: cutoff) }
    }

    public func policies(tenant: String) async throws -> TenantPolicies? {
        try await read { try await StoreQueries.policies(on: $0, tenant: tenant) }
    }

    public func setPolicies(tenant: String, _ policies: TenantPolicies) async throws {
        try await transaction("setPolicies", lock: nil) { connection in
            try await StoreQueries.setPolicies(on: connection, tenant: tenant, policies)
            try await notifyPolicies(on: connection, tenant: tenant)
        }
    }

    /// Review items in creation order; an `afterId` the tenant does not have gives an empty page.
    public func reviews(tenant: String, status: ReviewStatus?, collection: String?, after afterId: String?, limit: Int) async throws -> [ReviewItem] {
        try await read { try await StoreQueries.reviews(on: $0, tenant: tenant, status: status, collection: collection, after: afterId, limit: limit) }
    }

    public func review(tenant: String, id: String) async throws -> ReviewItem? {
        try await read { try await StoreQueries.review(on: $0, tenant: tenant, id: id) }
    }

    public func auditLog(tenant: String, collection: String?, recordId: String?, after afterId: Int64, limit: Int) async throws -> [StoredAuditEntry] {
        try await read {
            try await StoreQueries.auditLog(on: $0, tenant: tenant, collection: collection, recordId: recordId, after: afterId, limit: limit)
        }
    }

    /// Deletes every row of the tenant, in every table, in one transaction that waits for the
    /// tenant's running writes, and tells the other nodes to drop its cached policies and clock.
    /// Change-log positions are not reused afterwards.
    public func resetTenant(_ tenant: String) async throws {
        try await transaction("resetTenant", lock: .tenant(tenant)) { connection in
            try await StoreQueries.resetTenant(on: connection, tenant: tenant)
            try await notifyPolicies(on: connection, tenant: tenant)
            try await notifyClock(on: connection, tenant: tenant)
        }
    }

    public func cursorKey() async throws -> [UInt8] {
        try await transaction("secret", lock: nil) { try await StoreQueries.secret(on: $0, named: ServerSecret.cursorKey) }
    }
}

// The `HealthStore` operations. Each node's flusher writes batches of many tenants' counters;
// one lock for all of them keeps two nodes' batches from deadlocking on each other's rows.
extension PostgresSyncStore {
    public func recordActivity(_ events: [ActivityEvent]) async throws {
        guard !events.isEmpty else { return }
        try await transaction("recordActivity", lock: .activity) { try await StoreQueries.recordActivity(on: $0, events) }
    }

    public func deviceHealth(tenant: String, device: String, since: Int64, until: Int64) async throws -> DeviceHealthRecord? {
        try await read {
            try await StoreQueries.deviceHealth(on: $0, tenant: tenant, device: device, after: nil, limit: 1, since: since, until: until)
        }.first
    }

    public func deviceHealthList(tenant: String, after afterDevice: String?, limit: Int, since: Int64, until: Int64) async throws -> [DeviceHealthRecord] {
        try await read {
            try await StoreQueries.deviceHealth(on: $0, tenant: tenant, device: nil, after: afterDevice, limit: limit, since: since, until: until)
        }
    }

    public func hourlyStats(tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats] {
        try await read { try await StoreQueries.hourlyStats(on: $0, tenant: tenant, from: from, to: to) }
    }
}

/// Database-wide totals for `/metrics`.
extension PostgresSyncStore: OperationalTotalsStore {
    public func operationalTotals(since: Int64, until: Int64) async throws -> OperationalTotals {
        try await read { try await StoreQueries.operationalTotals(on: $0, since: since, until: until) }
    }
}
