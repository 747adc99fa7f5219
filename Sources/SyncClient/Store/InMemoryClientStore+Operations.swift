public import SyncProtocol

// Each operation is one transaction running the shared `StoreLogic`; the documentation is
// on `ClientStore`.
extension InMemoryClientStore {
    public func write(collection: String, id: String, op: MutationOp, fields: JSONObject?, clientTime: Int64) async throws -> OutboxEntry {
        try transaction { tx in try StoreLogic.write(&tx, key: RecordKey(collection: collection, id: id), op: op, fields: fields, clientTime: clientTime) }
    }

    public func nextBatch(maxMutations: Int, maxBytes: Int) async throws -> OutboxBatch? {
        try transaction { tx in try StoreLogic.nextBatch(&tx, maxMutations: maxMutations, maxBytes: maxBytes) }
    }

    public func settle(batch: OutboxBatch, result: PushResult) async throws -> SettleReport {
        try transaction { tx in try StoreLogic.settle(&tx, batch: batch, result: result) }
    }

    public func rebaseSequence(serverLastSeq: Int64) async throws -> Int {
        try transaction { tx in try StoreLogic.rebaseSequence(&tx, serverLastSeq: serverLastSeq) }
    }

    public func discardInFlightBatch() async throws {
        try transaction { tx in try StoreLogic.discardInFlight(&tx) }
    }

    public func rejectInFlightBatch(error: ErrorCode, message: String) async throws -> [SettledMutation] {
        try transaction { tx in try StoreLogic.rejectInFlight(&tx, error: error, message: message) }
    }

    public func applyChanges(_ changes: [Change], cursor: String) async throws -> [RecordKey] {
        try transaction { tx in try StoreLogic.applyChanges(&tx, changes, cursor: cursor) }
    }

    public func markAcknowledged(cursor: String) async throws {
        try transaction { tx in try StoreLogic.markAcknowledged(&tx, cursor: cursor) }
    }

    public func cursors() async throws -> DownSyncCursors {
        try reading { tx in try StoreLogic.cursors(&tx) }
    }

    public func resetServerLayer() async throws {
        try transaction { tx in try StoreLogic.resetServerLayer(&tx) }
    }

    public func record(collection: String, id: String) async throws -> LocalRecord? {
        try reading { tx in try StoreLogic.record(&tx, RecordKey(collection: collection, id: id)) }
    }

    public func records(collection: String) async throws -> [LocalRecord] {
        try reading { tx in try StoreLogic.records(&tx, collection: collection) }
    }

    public func pendingCount() async throws -> Int {
        try reading { tx in try tx.outboxCount() }
    }

    public func oldestPendingClientTime() async throws -> Int64? {
        try reading { tx in try tx.oldestOutboxClientTime() }
    }

    public func pendingMutations(collection: String, id: String) async throws -> [OutboxEntry] {
        try reading { tx in try tx.outbox(for: RecordKey(collection: collection, id: id)) }
    }

    public func nextSequenceNumber() async throws -> Int64 {
        try reading { tx in try tx.int64Meta(.nextSeq) ?? 1 }
    }

    public func lastSettledSeq() async throws -> Int64 {
        try reading { tx in try tx.int64Meta(.lastSettledSeq) ?? 0 }
    }

    public func rejected() async throws -> [RejectedMutation] {
        try reading { tx in try tx.rejected() }
    }

    public func clearRejected(seqs: [Int64]?) async throws {
        try transaction { tx in try tx.deleteRejected(seqs: seqs) }
    }

    public func inReview() async throws -> [InReviewMutation] {
        try reading { tx in try tx.inReview() }
    }

    public func clearInReview(seqs: [Int64]?) async throws {
        try transaction { tx in try tx.deleteInReview(seqs: seqs) }
    }

    public func saveUploadSession(_ session: UploadSessionRecord) async throws {
        try transaction { tx in try tx.saveUpload(session) }
    }

    public func uploadSession(localId: String) async throws -> UploadSessionRecord? {
        try reading { tx in try tx.upload(localId: localId) }
    }

    public func uploadSessions() async throws -> [UploadSessionRecord] {
        try reading { tx in try tx.uploads() }
    }

    public func deleteUploadSession(localId: String) async throws {
        try transaction { tx in try tx.deleteUpload(localId: localId) }
    }
}
