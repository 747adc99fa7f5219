import Foundation
import GRDB
import SyncProtocol

/// `StoreTransaction` over one GRDB database access (a write transaction or a read).
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    func meta(_ key: MetaKey) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.rawValue])
    }

    func setMeta(_ key: MetaKey, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key.rawValue, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key.rawValue])
        }
    }

    // MARK: Server layer

    func serverEntry(_ key: RecordKey) throws -> ServerLayerEntry? {
        let row = try Row.fetchOne(db, sql: "SELECT record, provisional FROM server_records WHERE collection = ? AND id = ?",
                                   arguments: [key.collection, key.id])
        guard let row else { return nil }
        return ServerLayerEntry(record: try Self.decode(SyncProtocol.Record.self, row["record"]), provisional: row["provisional"])
    }

    func saveServerEntry(_ entry: ServerLayerEntry) throws {
        let record = entry.record
        try db.execute(sql: """
            INSERT OR REPLACE INTO server_records (collection, id, version, provisional, record) VALUES (?, ?, ?, ?, ?)
            """, arguments: [record.collection, record.id, record.version, entry.provisional, WireCodec.encode(record)])
    }

    func serverRecords(collection: String) throws -> [SyncProtocol.Record] {
        try Data.fetchAll(db, sql: "SELECT record FROM server_records WHERE collection = ? ORDER BY id", arguments: [collection])
            .map { try Self.decode(SyncProtocol.Record.self, $0) }
    }

    func deleteServerLayer() throws {
        try db.execute(sql: "DELETE FROM server_records")
    }

    // MARK: Outbox

    func appendOutbox(_ entry: OutboxEntry) throws {
        let mutation = entry.mutation
        try db.execute(sql: "INSERT INTO outbox (seq, collection, record_id, client_time, payload) VALUES (?, ?, ?, ?, ?)",
                       arguments: [mutation.seq, mutation.collection, mutation.recordId, mutation.clientTime, entry.payload])
    }

    func outbox(for key: RecordKey) throws -> [OutboxEntry] {
        try entries(sql: "SELECT payload FROM outbox WHERE collection = ? AND record_id = ? ORDER BY seq", [key.collection, key.id])
    }

    func outboxHead(limit: Int) throws -> [OutboxEntry] {
        try entries(sql: "SELECT payload FROM outbox ORDER BY seq LIMIT ?", [limit])
    }

    func outbox(seqs: ClosedRange<Int64>) throws -> [OutboxEntry] {
        try entries(sql: "SELECT payload FROM outbox WHERE seq BETWEEN ? AND ? ORDER BY seq", [seqs.lowerBound, seqs.upperBound])
    }

    func outboxRecordIds(collection: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT record_id FROM outbox WHERE collection = ?", arguments: [collection]))
    }

    func removeOutbox(seq: Int64) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
    }

    func outboxCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
    }

    func oldestOutboxClientTime() throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT client_time FROM outbox ORDER BY seq LIMIT 1")
    }

    private func entries(sql: String, _ arguments: StatementArguments) throws -> [OutboxEntry] {
        try Data.fetchAll(db, sql: sql, arguments: arguments).map { payload in
            OutboxEntry(mutation: try Self.decode(Mutation.self, payload), payload: payload)
        }
    }

    // MARK: Verdicts

    func insertRejected(_ rejected: RejectedMutation) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO rejected (seq, error, message, payload) VALUES (?, ?, ?, ?)",
                       arguments: [rejected.seq, rejected.error.rawValue, rejected.message, WireCodec.encode(rejected.mutation)])
    }

    func rejected() throws -> [RejectedMutation] {
        try Row.fetchAll(db, sql: "SELECT error, message, payload FROM rejected ORDER BY seq").map { row in
            RejectedMutation(mutation: try Self.decode(Mutation.self, row["payload"]), error: ErrorCode(rawValue: row["error"]),
                             message: row["message"])
        }
    }

    func deleteRejected(seqs: [Int64]?) throws {
        try delete(from: "rejected", seqs: seqs)
    }

    func insertInReview(_ item: InReviewMutation) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO in_review (seq, review_id, payload) VALUES (?, ?, ?)",
                       arguments: [item.seq, item.reviewId, WireCodec.encode(item.mutation)])
    }

    func inReview() throws -> [InReviewMutation] {
        try Row.fetchAll(db, sql: "SELECT review_id, payload FROM in_review ORDER BY seq").map { row in
            InReviewMutation(mutation: try Self.decode(Mutation.self, row["payload"]), reviewId: row["review_id"])
        }
    }

    func deleteInReview(seqs: [Int64]?) throws {
        try delete(from: "in_review", seqs: seqs)
    }

    private func delete(from table: String, seqs: [Int64]?) throws {
        guard let seqs else {
            try db.execute(sql: "DELETE FROM \(table)")
            return
        }
        for seq in seqs { try db.execute(sql: "DELETE FROM \(table) WHERE seq = ?", arguments: [seq]) }
    }

    // MARK: Uploads

    func saveUpload(_ upload: UploadSessionRecord) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO upload_sessions (local_id, file_path, upload_id, size, sha256, chunk_size, chunk_count, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [upload.localId, upload.filePath, upload.uploadId, upload.size, upload.sha256, upload.chunkSize,
                             upload.chunkCount, upload.state.rawValue])
    }

    func upload(localId: String) throws -> UploadSessionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM upload_sessions WHERE local_id = ?", arguments: [localId]).map(Self.upload(from:))
    }

    func uploads() throws -> [UploadSessionRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM upload_sessions ORDER BY local_id").map(Self.upload(from:))
    }

    func deleteUpload(localId: String) throws {
        try db.execute(sql: "DELETE FROM upload_sessions WHERE local_id = ?", arguments: [localId])
    }

    private static func upload(from row: Row) throws -> UploadSessionRecord {
        guard let state = UploadSessionRecord.State(rawValue: row["state"]) else {
            throw ClientStoreError(.corruptData, "an upload session has an unknown state")
        }
        return UploadSessionRecord(localId: row["local_id"], filePath: row["file_path"], uploadId: row["upload_id"], size: row["size"],
                                   sha256: row["sha256"], chunkSize: row["chunk_size"], chunkCount: row["chunk_count"], state: state)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ClientStoreError(.corruptData, "a stored \(T.self) cannot be decoded")
        }
    }
}
