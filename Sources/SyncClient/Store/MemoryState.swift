import SyncProtocol

/// The whole content of an `InMemoryClientStore`, a value: a transaction works on a copy that
/// replaces the original only when it succeeds, so a failed operation leaves no trace.
struct MemoryState: StoreTransaction, Sendable {
    var metaValues: [MetaKey: String] = [:]
    var server: [RecordKey: ServerLayerEntry] = [:]
    var outboxEntries: [OutboxEntry] = []
    var rejectedEntries: [Int64: RejectedMutation] = [:]
    var reviewEntries: [Int64: InReviewMutation] = [:]
    var uploadEntries: [String: UploadSessionRecord] = [:]

    func meta(_ key: MetaKey) throws -> String? { metaValues[key] }
    mutating func setMeta(_ key: MetaKey, _ value: String?) throws { metaValues[key] = value }

    func serverEntry(_ key: RecordKey) throws -> ServerLayerEntry? { server[key] }
    mutating func saveServerEntry(_ entry: ServerLayerEntry) throws {
        server[RecordKey(collection: entry.record.collection, id: entry.record.id)] = entry
    }
    func serverRecords(collection: String) throws -> [Record] {
        server.values.map(\.record).filter { $0.collection == collection }.sorted { $0.id < $1.id }
    }
    mutating func deleteServerLayer() throws { server = [:] }

    // The outbox is kept sorted by `seq`: writes append increasing sequence numbers.
    mutating func appendOutbox(_ entry: OutboxEntry) throws {
        if let last = outboxEntries.last, last.seq >= entry.seq {
            throw ClientStoreError(.database, "outbox sequence numbers must increase")
        }
        outboxEntries.append(entry)
    }
    func outbox(for key: RecordKey) throws -> [OutboxEntry] { outboxEntries.filter { $0.key == key } }
    func outboxHead(limit: Int) throws -> [OutboxEntry] { Array(outboxEntries.prefix(limit)) }
    func outbox(seqs: ClosedRange<Int64>) throws -> [OutboxEntry] { outboxEntries.filter { seqs.contains($0.seq) } }
    func outboxRecordIds(collection: String) throws -> Set<String> {
        Set(outboxEntries.filter { $0.mutation.collection == collection }.map(\.mutation.recordId))
    }
    mutating func removeOutbox(seq: Int64) throws { outboxEntries.removeAll { $0.seq == seq } }
    func outboxCount() throws -> Int { outboxEntries.count }
    func oldestOutboxClientTime() throws -> Int64? { outboxEntries.first?.mutation.clientTime }

    mutating func insertRejected(_ rejected: RejectedMutation) throws { rejectedEntries[rejected.seq] = rejected }
    func rejected() throws -> [RejectedMutation] { rejectedEntries.values.sorted { $0.seq < $1.seq } }
    mutating func deleteRejected(seqs: [Int64]?) throws {
        guard let seqs else { return rejectedEntries = [:] }
        for seq in seqs { rejectedEntries[seq] = nil }
    }

    mutating func insertInReview(_ item: InReviewMutation) throws { reviewEntries[item.seq] = item }
    func inReview() throws -> [InReviewMutation] { reviewEntries.values.sorted { $0.seq < $1.seq } }
    mutating func deleteInReview(seqs: [Int64]?) throws {
        guard let seqs else { return reviewEntries = [:] }
        for seq in seqs { reviewEntries[seq] = nil }
    }

    mutating func saveUpload(_ upload: UploadSessionRecord) throws { uploadEntries[upload.localId] = upload }
    func upload(localId: String) throws -> UploadSessionRecord? { uploadEntries[localId] }
    func uploads() throws -> [UploadSessionRecord] { uploadEntries.values.sorted { $0.localId < $1.localId } }
    mutating func deleteUpload(localId: String) throws { uploadEntries[localId] = nil }
}
