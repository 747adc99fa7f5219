import SyncProtocol

/// Resolves one pending review inside a write transaction (CONF-10 to CONF-13): writes the next
/// version of the record, marks the item resolved, appends the change (no origin device) and
/// the audit entry.
struct ReviewResolver: Sendable {
    let tenant: String
    let `operator`: String
    let reviewId: String
    let request: ResolveReviewRequest
    let now: Int64
    let policies: TenantPolicies
    let configuration: EngineConfiguration

    func apply(in transaction: any SyncWriteTransaction) async throws -> (ReviewResolution, ChangeEntry) {
        guard var item = try await transaction.review(tenant: tenant, id: reviewId) else {
            throw ServiceError(.notFound, "no such review")
        }
        guard item.status == .pending else { throw ServiceError(.reviewAlreadyResolved, "the review was already resolved") }
        let mutation = item.clientMutation
        let current = try await transaction.record(tenant: tenant, collection: item.collection, id: item.recordId)
        let version = (current?.version ?? 0) + 1
        var record: StoredRecord
        switch request.choice {
        case .keepServer:
            record = current ?? StoredRecord(tenant: tenant, collection: item.collection, id: item.recordId, fields: [:], version: 0,
                                             fieldVersions: [:], updatedAt: now, clientTime: now, deleted: true, lastDevice: nil)
            record.version = version
        case .takeClient:
            var winner = CollectionPolicy(strategy: .clientWins)
            winner.maxClockSkewMs = policies.policy(for: item.collection).maxClockSkewMs
            let resolver = ConflictResolver(policy: winner, now: now, device: item.deviceId,
                                            maxRecordBytes: configuration.maxRecordBytes, maxClockSkew: configuration.maxClockSkewMs)
            let resolution = resolver.resolve(mutation, tenant: tenant, existing: current)
            guard let written = resolution.write else {
                throw resolution.rejection ?? ServiceError(.invalidMutation, "the queued mutation cannot be applied to the record as it is now")
            }
            record = written
        case .custom:
            record = StoredRecord(tenant: tenant, collection: item.collection, id: item.recordId, fields: request.fields ?? [:],
                                  version: version, fieldVersions: [:], updatedAt: now, clientTime: now, deleted: false, lastDevice: nil)
            record.fieldVersions = record.fields.mapValues { _ in version }
            if Int64(CanonicalJSON.byteCount(.object(record.fields))) > configuration.maxRecordBytes {
                throw ServiceError(.recordTooLarge, "the custom fields are larger than \(configuration.maxRecordBytes) bytes")
            }
        }
        // An operator writes this version, whatever the choice: server time, no device (REC-4).
        record.updatedAt = now
        record.clientTime = now
        record.lastDevice = nil
        let op = MutationOp.transition(from: current, to: record)
        try await transaction.saveRecord(record)
        let position = try await transaction.appendChange(op: op, record: record, originDevice: nil)
        item.status = .resolved
        item.resolvedAt = now
        item.resolution = request.choice
        item.resolvedBy = `operator`
        item.resolvedVersion = record.version
        try await transaction.saveReview(tenant: tenant, item)
        try await transaction.appendAudit(ConflictAuditEntry(
            tenant: tenant, collection: item.collection, recordId: item.recordId, device: nil, seq: nil, strategy: .manual,
            baseVersion: mutation.baseVersion, serverVersion: current?.version ?? 0, outcome: .conflictResolved,
            winner: record.wire, mutation: mutation, createdAt: now, serverRecord: current?.wire, resultingVersion: record.version,
            reviewId: reviewId, operator: `operator`, choice: request.choice))
        return (ReviewResolution(review: item, record: record.wire), ChangeEntry(position: position, op: op, record: record, originDevice: nil))
    }
}
