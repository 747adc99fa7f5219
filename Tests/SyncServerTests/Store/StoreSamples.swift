import SyncProtocol
import SyncServer

/// Small builders for the values the store suite writes.
enum Sample {
    static func record(tenant: String = "tenant-a", collection: String = "tasks", id: String = "r1",
                       fields: JSONObject = ["title": "Buy milk"], version: Int64 = 1, deleted: Bool = false,
                       lastDevice: String? = "device-1") -> StoredRecord {
        StoredRecord(tenant: tenant, collection: collection, id: id, fields: deleted ? [:] : fields, version: version,
                     fieldVersions: deleted ? [:] : fields.mapValues { _ in version }, updatedAt: 1_700_000_000_000 + version,
                     clientTime: 1_699_999_999_000 + version, deleted: deleted, lastDevice: lastDevice)
    }

    static func mutation(seq: Int64 = 1, collection: String = "tasks", id: String = "r1") -> Mutation {
        Mutation(seq: seq, collection: collection, recordId: id, op: .update, baseVersion: 1,
                 fields: ["title": "From the device"], clientTime: 1_700_000_000_500)
    }

    static func mutationResult(seq: Int64, status: MutationStatus = .applied, id: String = "r1") -> MutationResult {
        switch status {
        case .rejected:
            MutationResult(seq: seq, collection: "tasks", recordId: id, status: .rejected, error: "record_not_found",
                           message: "no such record")
        default:
            MutationResult(seq: seq, collection: "tasks", recordId: id, status: status, version: seq + 1,
                           record: record(id: id, version: seq + 1).wire)
        }
    }

    static func pushResult(seqs: ClosedRange<Int64> = 1...2, cursor: String = "c42") -> PushResult {
        let results = seqs.map { mutationResult(seq: $0) }
        return PushResult(results: results, synced: Int64(results.count), failed: 0, cursor: cursor, replayed: false)
    }

    static func idempotency(key: String = "key-1", hash: String = String(repeating: "ab", count: 32),
                            createdAt: Int64 = 1_700_000_000_000) -> IdempotencyEntry {
        IdempotencyEntry(key: key, payloadHash: hash, result: pushResult(), createdAt: createdAt)
    }

    static func audit(tenant: String = "tenant-a", collection: String = "tasks", id: String = "r1", device: String? = "device-1",
                      seq: Int64? = 7, createdAt: Int64 = 1_700_000_000_000) -> ConflictAuditEntry {
        ConflictAuditEntry(tenant: tenant, collection: collection, recordId: id, device: device, seq: seq,
                           strategy: .mostRecentWins, baseVersion: 1, serverVersion: 2, outcome: .conflictResolved,
                           winner: record(tenant: tenant, id: id, version: 3).wire,
                           mutation: device == nil ? nil : mutation(seq: seq ?? 1, id: id), createdAt: createdAt)
    }

    static func review(id: String, status: ReviewStatus = .pending, recordId: String = "r1",
                       createdAt: Int64 = 1_700_000_000_000) -> ReviewItem {
        var item = ReviewItem(reviewId: id, collection: "tasks", recordId: recordId, status: status,
                              serverRecord: record(id: recordId, version: 2).wire, clientMutation: mutation(id: recordId),
                              deviceId: "device-1", userId: "user-1", createdAt: createdAt)
        if status == .resolved {
            item.resolvedAt = createdAt + 1000
            item.resolution = .keepServer
            item.resolvedBy = "operator-1"
            item.resolvedVersion = 3
        }
        return item
    }

    static func policies(default strategy: ConflictStrategy = .clientWins) -> TenantPolicies {
        TenantPolicies(defaultStrategy: strategy, collections: [
            "tickets": CollectionPolicy(strategy: .preserveEscalation,
                                        escalation: ["priority": ["low", "medium", "high", "critical"]],
                                        maxClockSkewMs: 30_000),
            "notes": CollectionPolicy(strategy: .manual),
        ])
    }
}
