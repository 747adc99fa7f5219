public import SyncProtocol

extension SyncEngine {
    public func resetTenant(_ principal: Principal) async throws(ServiceError) -> ResetResult {
        let tenant = principal.tenant
        // Health and analytics events still pending are dropped with the rest (TEST-3).
        try await storage {
            try await activity.resetting(tenant: tenant) { [sequencer, store] in
                try await sequencer.withLock(tenant) { try await store.resetTenant(tenant) }
            }
        }
        clock.reset(tenant: tenant)
        policyCache.invalidate(tenant: tenant)
        idempotencyCache.removeAll(tenant: tenant)
        changeFeed.finish(tenant: tenant)
        return ResetResult(tenantId: tenant, resetAt: clock.now(tenant: tenant))
    }

    public func seedRecords(_ principal: Principal, _ request: SeedRecordsRequest) async throws(ServiceError) -> SeedResult {
        let tenant = principal.tenant
        let now = clock.now(tenant: tenant)
        let (records, head) = try await storage {
            try await sequencer.withLock(tenant) { [store] in
                let (changes, head) = try await store.write(tenant: tenant) { transaction in
                    var changes: [ChangeEntry] = []
                    for (index, seed) in request.records.enumerated() {
                        let current = try await transaction.record(tenant: tenant, collection: seed.collection, id: seed.id)
                        let version = seed.version ?? (current?.version ?? 0) + 1
                        guard version > current?.version ?? 0 else {
                            throw ServiceError(.invalidMessage, "records[\(index)].version must be greater than the current version",
                                               issues: [WireIssue(path: "records[\(index)].version", message: "not greater than the current version")])
                        }
                        let deleted = seed.deleted ?? false
                        let record = StoredRecord(tenant: tenant, collection: seed.collection, id: seed.id, fields: deleted ? [:] : seed.fields,
                                                  version: version, fieldVersions: deleted ? [:] : seed.fields.mapValues { _ in version },
                                                  updatedAt: now, clientTime: seed.clientTime ?? now, deleted: deleted, lastDevice: nil)
                        let op = MutationOp.transition(from: current, to: record)
                        try await transaction.saveRecord(record)
                        let position = try await transaction.appendChange(op: op, record: record, originDevice: nil)
                        changes.append(ChangeEntry(position: position, op: op, record: record, originDevice: nil))
                    }
                    return (changes, try await transaction.latestPosition(tenant: tenant))
                }
                await self.deliver(tenant: tenant, changes, originSession: nil)
                return (changes.map(\.record.wire), head)
            }
        }
        return SeedResult(records: records, cursor: cursors.encode(head, tenant: tenant))
    }

    /// Sets or advances the tenant's clock. Where the store keeps clocks (`ClockStore`), the
    /// change is made to the stored offset, which every node on the database then shows.
    public func setClock(_ principal: Principal, _ request: ClockRequest) async throws(ServiceError) -> ClockState {
        let tenant = principal.tenant
        let change: @Sendable (Int64, Int64) -> Int64
        switch (request.setMs, request.advanceMs) {
        case (let time?, nil): change = { _, now in TenantClock.offset(setting: time, realNow: now) }
        case (nil, let delta?): change = { offset, now in TenantClock.offset(advancing: offset, by: delta, realNow: now) }
        case (nil, nil): return try await clock(principal)
        case (.some, .some):
            throw ServiceError(.invalidMessage, "give set_ms or advance_ms, not both",
                               issues: [WireIssue(path: "advance_ms", message: "not allowed together with set_ms")])
        }
        if let clocks = store as? any ClockStore {
            let offset = try await storage { [clock] in try await clocks.updateClockOffset(tenant: tenant) { change($0, clock.realTime()) } }
            clock.setOffset(offset, tenant: tenant)
        } else {
            clock.update(tenant: tenant, change)
        }
        return try await clock(principal)
    }

    public func clock(_ principal: Principal) async throws(ServiceError) -> ClockState {
        ClockState(nowMs: clock.now(tenant: principal.tenant), offsetMs: clock.offset(tenant: principal.tenant))
    }
}
