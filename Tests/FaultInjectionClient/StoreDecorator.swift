import Foundation
import SyncClient
import SyncProtocol
import Synchronization

/// A `ClientStore` that forwards everything to `inner`; faults subclass it and override one call.
class StoreDecorator: ClientStore, @unchecked Sendable {
    // @unchecked: `inner` is immutable and Sendable; subclasses keep their state in mutexes.
    let inner: any ClientStore

    init(_ inner: any ClientStore) {
        self.inner = inner
    }

    func write(collection: String, id: String, op: MutationOp, fields: JSONObject?, clientTime: Int64) async throws -> OutboxEntry { try await inner.write(collection: collection, id: id, op: op, fields: fields, clientTime: clientTime) }
    func nextBatch(maxMutations: Int, maxBytes: Int) async throws -> OutboxBatch? { try await inner.nextBatch(maxMutations: maxMutations, maxBytes: maxBytes) }
    func settle(batch: OutboxBatch, result: PushResult) async throws -> SettleReport { try await inner.settle(batch: batch, result: result) }
    func discardInFlightBatch() async throws { try await inner.discardInFlightBatch() }
    func rebaseSequence(serverLastSeq: Int64) async throws -> Int { try await inner.rebaseSequence(serverLastSeq: serverLastSeq) }
    func rejectInFlightBatch(error: ErrorCode, message: String) async throws -> [SettledMutation] { try await inner.rejectInFlightBatch(error: error, message: message) }
    func applyChanges(_ changes: [Change], cursor: String) async throws -> [RecordKey] { try await inner.applyChanges(changes, cursor: cursor) }
    func markAcknowledged(cursor: String) async throws { try await inner.markAcknowledged(cursor: cursor) }
    func cursors() async throws -> DownSyncCursors { try await inner.cursors() }
    func resetServerLayer() async throws { try await inner.resetServerLayer() }
    func record(collection: String, id: String) async throws -> LocalRecord? { try await inner.record(collection: collection, id: id) }
    func records(collection: String) async throws -> [LocalRecord] { try await inner.records(collection: collection) }
    func pendingCount() async throws -> Int { try await inner.pendingCount() }
    func oldestPendingClientTime() async throws -> Int64? { try await inner.oldestPendingClientTime() }
    func pendingMutations(collection: String, id: String) async throws -> [OutboxEntry] { try await inner.pendingMutations(collection: collection, id: id) }
    func nextSequenceNumber() async throws -> Int64 { try await inner.nextSequenceNumber() }
    func lastSettledSeq() async throws -> Int64 { try await inner.lastSettledSeq() }
    func rejected() async throws -> [RejectedMutation] { try await inner.rejected() }
    func clearRejected(seqs: [Int64]?) async throws { try await inner.clearRejected(seqs: seqs) }
    func inReview() async throws -> [InReviewMutation] { try await inner.inReview() }
    func clearInReview(seqs: [Int64]?) async throws { try await inner.clearInReview(seqs: seqs) }
    func saveUploadSession(_ session: UploadSessionRecord) async throws { try await inner.saveUploadSession(session) }
    func uploadSession(localId: String) async throws -> UploadSessionRecord? { try await inner.uploadSession(localId: localId) }
    func uploadSessions() async throws -> [UploadSessionRecord] { try await inner.uploadSessions() }
    func deleteUploadSession(localId: String) async throws { try await inner.deleteUploadSession(localId: localId) }
}

/// Sequence numbers from a per-launch counter: the first write after a launch is numbered 1
/// again, as a client that keeps its counter in memory would number it.
final class RenumberingStore: StoreDecorator, @unchecked Sendable {
    private let offset = Mutex<Int64?>(nil)

    override func write(collection: String, id: String, op: MutationOp, fields: JSONObject?, clientTime: Int64) async throws -> OutboxEntry {
        var entry = try await inner.write(collection: collection, id: id, op: op, fields: fields, clientTime: clientTime)
        let shift = offset.withLock { value in
            if value == nil { value = entry.seq - 1 }
            return value ?? 0
        }
        entry.mutation.seq -= shift
        return entry
    }
}

/// Upload sessions are never found again.
final class ForgetfulUploadStore: StoreDecorator, @unchecked Sendable {
    override func uploadSessions() async throws -> [UploadSessionRecord] { [] }
}
