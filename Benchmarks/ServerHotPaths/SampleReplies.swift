import SyncProtocol
import SyncServer

/// The messages the encoding benchmarks send: the `push_result` of `SamplePush` and a page of
/// 100 changes, with sealed cursors as the server issues them.
enum SampleReplies {
    private static let cursors = CursorCodec(key: Array(repeating: 0x5A, count: 32))

    /// The push's outcome: the creates applied, one update applied, one resolved by
    /// `client_wins`, one merged by `preserve_escalation` (both carrying the record that won),
    /// and the delete rejected (its record is missing).
    static let pushResult: ServerMessage = {
        let results = SamplePush.mutations.enumerated().map { index, mutation in
            let base = MutationResult(seq: mutation.seq, collection: mutation.collection, recordId: mutation.recordId, status: .applied)
            var result = base
            switch index {
            case 0..<6:
                result.version = 1
            case 6:
                result.version = 6
            case 7:
                (result.status, result.strategy, result.version) = (.conflictResolved, .clientWins, 6)
                result.record = SampleWorkOrders.stored(index).wire
            case 8:
                (result.status, result.strategy, result.version) = (.merged, .preserveEscalation, 6)
                result.record = SampleWorkOrders.stored(index).wire
            default:
                (result.status, result.error, result.message) = (.rejected, ErrorCode.recordNotFound.rawValue, "the record does not exist")
            }
            return result
        }
        return .pushResult(PushResultMessage(
            requestId: "req-8c1d", idempotencyKey: "batch-3f6e2a90-5b1c-4d7e-9a08-c2f41b7d6e53", replayed: false,
            results: results, synced: 9, failed: 1, cursor: cursors.encode(48_213, tenant: SampleWorkOrders.tenant)))
    }()

    /// A full page of a pull: 100 changes of other devices (mostly updates, every tenth a create
    /// and every 25th a delete, whose record is a tombstone), `has_more` set.
    static let changesPage: ServerMessage = {
        let changes = (0..<100).map { index in
            var record = SampleWorkOrders.stored(index).wire
            record.version = Int64(6 + index % 4)
            let op: MutationOp = index % 25 == 24 ? .delete : index % 10 == 0 ? .create : .update
            if op == .delete {
                (record.fields, record.fieldVersions, record.deleted) = ([:], [:], true)
            }
            return Change(cursor: cursors.encode(48_300 + Int64(index), tenant: SampleWorkOrders.tenant), op: op,
                          record: record, originDevice: SampleWorkOrders.otherDevice)
        }
        return .changes(ChangesMessage(requestId: "req-8c20", changes: changes, cursor: changes[changes.count - 1].cursor, hasMore: true))
    }()
}
