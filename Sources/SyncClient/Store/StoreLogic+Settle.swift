import SyncProtocol

extension StoreLogic {
    /// Applies a push result to the in-flight batch: every answered mutation leaves the outbox
    /// with its verdict, whatever the others' verdicts are, so a rejection never holds back the
    /// mutations behind it.
    static func settle(_ tx: inout some StoreTransaction, batch: OutboxBatch, result: PushResult) throws -> SettleReport {
        guard let marker = try tx.inFlightMarker(), marker.idempotencyKey == batch.idempotencyKey else {
            throw ClientStoreError(.staleBatch, "the batch is not the in-flight batch (already settled or discarded)")
        }
        let resultsBySeq = Dictionary(result.results.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var settled: [SettledMutation] = []
        var unanswered: [Int64] = []
        for entry in try tx.outbox(seqs: marker.firstSeq...marker.lastSeq) {
            let mutation = entry.mutation
            guard let answer = resultsBySeq[entry.seq], answer.collection == mutation.collection, answer.recordId == mutation.recordId else {
                unanswered.append(entry.seq)
                continue
            }
            let status = answer.status == .duplicate ? (answer.originalStatus ?? .duplicate) : answer.status
            var error: ErrorCode?
            switch status {
            case .applied:
                if let record = answer.record {
                    try adopt(&tx, record, for: entry.key)
                } else if let version = answer.version {
                    try adoptApplied(&tx, mutation, version: version)
                }
            case .merged, .conflictResolved:
                if let record = answer.record { try adopt(&tx, record, for: entry.key) }
            case .rejected:
                let code = ErrorCode(rawValue: answer.error ?? "rejected")
                error = code
                try tx.insertRejected(RejectedMutation(mutation: mutation, error: code, message: answer.message ?? ""))
                if let record = answer.record { try adopt(&tx, record, for: entry.key) }
            case .queuedForReview:
                try tx.insertInReview(InReviewMutation(mutation: mutation, reviewId: answer.reviewId))
                if let record = answer.record { try adopt(&tx, record, for: entry.key) }
            case .duplicate:
                // A duplicate without its original status: processed once, outcome unknown. The
                // record, if it changed, arrives through pull.
                break
            }
            try tx.removeOutbox(seq: entry.seq)
            settled.append(SettledMutation(seq: entry.seq, key: entry.key, status: status, error: error, version: answer.version))
        }
        try tx.setInFlightMarker(nil)
        if let last = settled.last?.seq { try raiseLastSettled(&tx, to: last) }
        return SettleReport(settled: settled, unanswered: unanswered)
    }

    /// Takes a record the server sent as the key's server state, unless a newer one is stored.
    static func adopt(_ tx: inout some StoreTransaction, _ record: Record, for key: RecordKey) throws {
        guard record.collection == key.collection, record.id == key.id else { return }
        let stored = try tx.serverEntry(key)
        if let stored, record.version < stored.record.version { return }
        try tx.saveServerEntry(ServerLayerEntry(record: record, provisional: false))
    }

    /// An `applied` result carries the new version but (from the reference server) no record.
    /// The record is derived from the server state the mutation was based on: exactly the
    /// server's, except for `updated_at`, `client_time` and `last_device`, which are estimated,
    /// so it is marked provisional and the server's copy of the same version replaces it. When
    /// the stored state is not the mutation's base, nothing is derived: pull brings the record.
    static func adoptApplied(_ tx: inout some StoreTransaction, _ mutation: Mutation, version: Int64) throws {
        let key = RecordKey(collection: mutation.collection, id: mutation.recordId)
        let stored = try tx.serverEntry(key)?.record
        guard version > (stored?.version ?? 0) else { return }
        let record: Record
        switch mutation.op {
        case .create:
            let fields = mutation.fields ?? [:]
            record = Record(collection: key.collection, id: key.id, fields: fields, version: version,
                            fieldVersions: fields.mapValues { _ in version }, updatedAt: mutation.clientTime,
                            clientTime: mutation.clientTime, deleted: false)
        case .update:
            guard let stored, !stored.deleted, stored.version == mutation.baseVersion else { return }
            var derived = stored
            for (name, value) in mutation.fields ?? [:] {
                derived.fields[name] = value
                derived.fieldVersions[name] = version
            }
            derived.version = version
            derived.updatedAt = mutation.clientTime
            derived.clientTime = mutation.clientTime
            derived.lastDevice = nil
            record = derived
        case .delete:
            record = Record(collection: key.collection, id: key.id, fields: [:], version: version, fieldVersions: [:],
                            updatedAt: mutation.clientTime, clientTime: mutation.clientTime, deleted: true)
        }
        try tx.saveServerEntry(ServerLayerEntry(record: record, provisional: true))
    }
}
