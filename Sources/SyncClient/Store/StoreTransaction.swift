import Foundation
import SyncProtocol

/// The stored server state of one key: the record and whether it was derived locally from an
/// `applied` result (the server sends no record with it) rather than received from the server.
struct ServerLayerEntry: Sendable, Hashable {
    var record: Record
    /// A derived record whose `updated_at`, `client_time` and `last_device` are estimates; the
    /// server's own copy of the same version replaces it when it arrives.
    var provisional: Bool
}

/// The persisted in-flight batch: its key and sequence range.
struct InFlightMarker: Codable, Sendable, Hashable {
    var idempotencyKey: String
    var firstSeq: Int64
    var lastSeq: Int64
}

/// Names of the single values the store keeps in its meta table.
enum MetaKey: String, CaseIterable {
    case nextSeq = "next_seq"
    case lastSettledSeq = "last_settled_seq"
    case storedCursor = "stored_cursor"
    case acknowledgedCursor = "acknowledged_cursor"
    case inFlight = "in_flight"
}

/// The primitive reads and writes of one local transaction. Both stores implement these, and
/// `StoreLogic` builds every `ClientStore` operation on them, so the two stores share one
/// semantics. Every method runs inside the caller's transaction.
protocol StoreTransaction {
    func meta(_ key: MetaKey) throws -> String?
    mutating func setMeta(_ key: MetaKey, _ value: String?) throws

    func serverEntry(_ key: RecordKey) throws -> ServerLayerEntry?
    mutating func saveServerEntry(_ entry: ServerLayerEntry) throws
    func serverRecords(collection: String) throws -> [Record]
    mutating func deleteServerLayer() throws

    mutating func appendOutbox(_ entry: OutboxEntry) throws
    /// Pending entries of one key, in `seq` order.
    func outbox(for key: RecordKey) throws -> [OutboxEntry]
    /// The first `limit` pending entries, in `seq` order.
    func outboxHead(limit: Int) throws -> [OutboxEntry]
    /// Pending entries with `seq` in the range, in `seq` order.
    func outbox(seqs: ClosedRange<Int64>) throws -> [OutboxEntry]
    /// Ids of the records of a collection that have pending entries.
    func outboxRecordIds(collection: String) throws -> Set<String>
    mutating func removeOutbox(seq: Int64) throws
    func outboxCount() throws -> Int
    func oldestOutboxClientTime() throws -> Int64?

    mutating func insertRejected(_ rejected: RejectedMutation) throws
    func rejected() throws -> [RejectedMutation]
    mutating func deleteRejected(seqs: [Int64]?) throws

    mutating func insertInReview(_ item: InReviewMutation) throws
    func inReview() throws -> [InReviewMutation]
    mutating func deleteInReview(seqs: [Int64]?) throws

    mutating func saveUpload(_ upload: UploadSessionRecord) throws
    func upload(localId: String) throws -> UploadSessionRecord?
    func uploads() throws -> [UploadSessionRecord]
    mutating func deleteUpload(localId: String) throws
}

extension StoreTransaction {
    func int64Meta(_ key: MetaKey) throws -> Int64? {
        guard let text = try meta(key) else { return nil }
        guard let value = Int64(text) else { throw ClientStoreError(.corruptData, "meta value \(key.rawValue) is not an integer") }
        return value
    }

    func inFlightMarker() throws -> InFlightMarker? {
        guard let text = try meta(.inFlight) else { return nil }
        do {
            return try JSONDecoder().decode(InFlightMarker.self, from: Data(text.utf8))
        } catch {
            throw ClientStoreError(.corruptData, "the in-flight batch marker cannot be decoded")
        }
    }

    mutating func setInFlightMarker(_ marker: InFlightMarker?) throws {
        try setMeta(.inFlight, try marker.map { String(decoding: try WireCodec.encoder.encode($0), as: UTF8.self) })
    }
}
