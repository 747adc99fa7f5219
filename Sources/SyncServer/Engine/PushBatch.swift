import Foundation
import SyncProtocol

/// One push, applied inside a write transaction: idempotency, sequence checks, every mutation's
/// resolution, the change log, the audit log, reviews and the idempotency entry (IDEM-8).
struct PushBatch: Sendable {
    let tenant: String
    let device: String
    let user: String
    let key: String
    let fingerprint: String
    let mutations: [Mutation]
    let policies: TenantPolicies
    let configuration: EngineConfiguration
    let cursors: CursorCodec
    let now: Int64
    /// Idempotency entries recorded before this are forgotten.
    let windowStart: Int64

    struct Outcome: Sendable {
        var result: PushResult
        var changes: [ChangeEntry]
        /// The idempotency entry this batch recorded; `nil` for a replay.
        var entry: IdempotencyEntry?
    }

    func apply(in transaction: any SyncWriteTransaction) async throws -> Outcome {
        if let entry = try await transaction.idempotency(tenant: tenant, device: device, key: key), entry.createdAt >= windowStart {
            guard entry.payloadHash == fingerprint else {
                throw ServiceError(.idempotencyKeyReused, "this idempotency key was used for a different batch")
            }
            var result = entry.result
            result.replayed = true
            return Outcome(result: result, changes: [])
        }
        let lastSeq = try await transaction.deviceState(tenant: tenant, device: device).lastSeq
        let fresh = mutations.filter { $0.seq > lastSeq }
        // SEQ-3: `expected_seq` is the device's next number, whichever new mutation broke the
        // run, because nothing of the batch is applied and the client resends from there.
        for (offset, mutation) in fresh.enumerated() where mutation.seq != lastSeq + 1 + Int64(offset) {
            throw ServiceError(.sequenceGap,
                               "the device's next sequence number is \(lastSeq + 1); the batch's new mutations are not consecutive from it (got \(mutation.seq) at position \(offset + 1) of \(fresh.count))",
                               expectedSeq: lastSeq + 1)
        }
        var results: [MutationResult] = []
        var changes: [ChangeEntry] = []
        for mutation in mutations {
            if mutation.seq <= lastSeq {
                results.append(try await duplicate(mutation, in: transaction))
                continue
            }
            let (result, change) = try await process(mutation, in: transaction)
            try await transaction.saveMutationResult(tenant: tenant, device: device, result: result)
            results.append(result)
            if let change { changes.append(change) }
        }
        if let last = fresh.last { try await transaction.setLastSeq(tenant: tenant, device: device, seq: last.seq) }
        var head = changes.last?.position ?? 0
        if changes.isEmpty { head = try await transaction.latestPosition(tenant: tenant) }
        let failed = Int64(results.filter { $0.status == .rejected }.count)
        let result = PushResult(results: results, synced: Int64(results.count) - failed, failed: failed,
                                cursor: cursors.encode(head, tenant: tenant), replayed: false)
        let entry = IdempotencyEntry(key: key, payloadHash: fingerprint, result: result, createdAt: now)
        try await transaction.saveIdempotency(tenant: tenant, device: device, entry)
        return Outcome(result: result, changes: changes, entry: entry)
    }

    /// SEQ-2: the original outcome, marked duplicate.
    private func duplicate(_ mutation: Mutation, in transaction: any SyncWriteTransaction) async throws -> MutationResult {
        guard let original = try await transaction.mutationResult(tenant: tenant, device: device, seq: mutation.seq) else {
            throw ServiceError(.internalError, "the outcome of sequence number \(mutation.seq) is missing")
        }
        return MutationResult(seq: mutation.seq, collection: mutation.collection, recordId: mutation.recordId, status: .duplicate,
                              version: original.version, strategy: original.strategy, error: original.error, message: original.message,
                              originalStatus: original.status, reviewId: original.reviewId)
    }

    private func process(_ mutation: Mutation, in transaction: any SyncWriteTransaction) async throws -> (MutationResult, ChangeEntry?) {
        let existing = try await transaction.record(tenant: tenant, collection: mutation.collection, id: mutation.recordId)
        let resolver = ConflictResolver(policy: policies.policy(for: mutation.collection), now: now, device: device,
                                        maxRecordBytes: configuration.maxRecordBytes, maxClockSkew: configuration.maxClockSkewMs)
        let resolution = resolver.resolve(mutation, tenant: tenant, existing: existing)
        var change: ChangeEntry?
        if let record = resolution.write, let op = resolution.changeOp {
            try await transaction.saveRecord(record)
            let position = try await transaction.appendChange(op: op, record: record, originDevice: device)
            change = ChangeEntry(position: position, op: op, record: record, originDevice: device)
        }
        var reviewId: String?
        if resolution.status == .queuedForReview, let server = resolution.current {
            let id = "rv_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await transaction.saveReview(tenant: tenant, ReviewItem(
                reviewId: id, collection: mutation.collection, recordId: mutation.recordId, status: .pending,
                serverRecord: server.wire, clientMutation: mutation, deviceId: device, userId: user, createdAt: now))
            reviewId = id
        }
        let result = MutationResult(
            seq: mutation.seq, collection: mutation.collection, recordId: mutation.recordId, status: resolution.status,
            version: resolution.status == .rejected ? nil : resolution.current?.version,
            record: resolution.status == .applied || resolution.status == .rejected ? nil : resolution.current?.wire,
            strategy: resolution.strategy, error: resolution.rejection?.code.rawValue, message: resolution.rejection?.message,
            reviewId: reviewId)
        if resolution.conflicted, let strategy = resolution.strategy, let current = resolution.current {
            try await transaction.appendAudit(ConflictAuditEntry(
                tenant: tenant, collection: mutation.collection, recordId: mutation.recordId, device: device, seq: mutation.seq,
                strategy: strategy, baseVersion: mutation.baseVersion, serverVersion: existing?.version ?? 0,
                outcome: resolution.status, winner: current.wire, mutation: mutation, createdAt: now,
                serverRecord: existing?.wire, resultingVersion: resolution.write?.version, reviewId: reviewId))
        }
        return (result, change)
    }
}
