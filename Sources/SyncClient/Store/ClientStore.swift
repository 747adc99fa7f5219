public import SyncProtocol

/// The device's local database: the server layer (the last state the server confirmed for each
/// record), the outbox (pending local mutations in sequence order), the in-flight batch, the
/// down-sync cursors, the verdicts the app has yet to see, and upload sessions.
///
/// Each method is one local transaction: it happens entirely or not at all, so a crash between
/// two calls never leaves a write without its outbox entry, or a settled mutation still queued.
public protocol ClientStore: Sendable {
    // MARK: Local writes

    /// Saves a local write: validates it as the server would, assigns the device's next sequence
    /// number (gap-free, strictly increasing, starting at 1, persisted) and appends the mutation to
    /// the outbox, in one transaction. When it returns, the write is durable and visible; the
    /// server's verdict comes later through `settle`. `update` takes the changed fields only;
    /// `delete` takes none.
    func write(collection: String, id: String, op: MutationOp, fields: JSONObject?, clientTime: Int64) async throws -> OutboxEntry

    // MARK: Upload

    /// The batch to send: the persisted in-flight batch when there is one (same key, same
    /// sequence numbers, same bytes: a retry after a crash is answered exactly once), otherwise
    /// a new batch of the first outbox entries within `maxMutations` and about `maxBytes` of
    /// frame (the server's `max_mutations_per_push` and `max_frame_bytes`), persisted as in
    /// flight; at least one entry whatever the budget. The limits do not apply to a persisted
    /// batch: to shrink it, discard it first. `nil` when the outbox is empty.
    func nextBatch(maxMutations: Int, maxBytes: Int) async throws -> OutboxBatch?

    /// Applies the server's result for the in-flight batch and clears it: each answered mutation
    /// leaves the outbox (confirmed, rejected and kept for the app, or queued for review), and
    /// records the server sent become the server layer. Throws `staleBatch` when `batch` is not
    /// the in-flight batch.
    func settle(batch: OutboxBatch, result: PushResult) async throws -> SettleReport

    /// Forgets the in-flight batch without settling it, so the next batch gets a new key. Only
    /// for a batch the server refused as a whole (too large, key reused): a retry must reuse it.
    func discardInFlightBatch() async throws

    /// When the server has processed sequence numbers beyond any this store assigned (reinstall
    /// with a reused device id), renumbers every pending write after `serverLastSeq`, in one
    /// transaction, so none is mistaken for a duplicate. Returns how many were renumbered.
    func rebaseSequence(serverLastSeq: Int64) async throws -> Int

    /// Gives up on every mutation of the in-flight batch: each moves to the rejected list with
    /// `error`. For a lone mutation the server refuses whatever the retry, so it does not block
    /// the outbox.
    func rejectInFlightBatch(error: ErrorCode, message: String) async throws -> [SettledMutation]

    // MARK: Down-sync

    /// Applies changes from the server in order (each only if newer than the stored state) to
    /// the server layer, and stores `cursor`, in one transaction. Returns the keys whose server
    /// layer changed, in order (a change already stored, such as the echo of the device's own
    /// settled write, is not among them).
    func applyChanges(_ changes: [Change], cursor: String) async throws -> [RecordKey]

    /// Records the cursor the server confirmed as acknowledged.
    func markAcknowledged(cursor: String) async throws

    /// The stored and acknowledged cursors, and where to resume.
    func cursors() async throws -> DownSyncCursors

    /// Forgets the server layer and the cursors for a full resync (after `cursor_expired`);
    /// keeps the outbox.
    func resetServerLayer() async throws

    // MARK: Queries

    /// The visible record: server state with pending mutations on top; `nil` when absent or deleted.
    func record(collection: String, id: String) async throws -> LocalRecord?

    /// The visible records of a collection, ordered by id.
    func records(collection: String) async throws -> [LocalRecord]

    /// The number of mutations not yet settled.
    func pendingCount() async throws -> Int

    /// The client time of the oldest pending mutation; `nil` when none is pending.
    func oldestPendingClientTime() async throws -> Int64?

    /// The pending mutations of one record, in sequence order.
    func pendingMutations(collection: String, id: String) async throws -> [OutboxEntry]

    /// The sequence number the next write will get.
    func nextSequenceNumber() async throws -> Int64

    /// The highest sequence number settled so far (0 when none).
    func lastSettledSeq() async throws -> Int64

    /// The mutations the server rejected, in sequence order.
    func rejected() async throws -> [RejectedMutation]

    /// Removes rejected mutations from the list: those with the given sequence numbers, or all.
    func clearRejected(seqs: [Int64]?) async throws

    /// The mutations waiting for an operator's review, in sequence order.
    func inReview() async throws -> [InReviewMutation]

    /// Removes review entries: those with the given sequence numbers, or all.
    func clearInReview(seqs: [Int64]?) async throws

    // MARK: Upload sessions

    /// Inserts or replaces an upload session.
    func saveUploadSession(_ session: UploadSessionRecord) async throws

    /// The upload session with that local id.
    func uploadSession(localId: String) async throws -> UploadSessionRecord?

    /// Every upload session, ordered by local id.
    func uploadSessions() async throws -> [UploadSessionRecord]

    /// Deletes an upload session (no error when absent).
    func deleteUploadSession(localId: String) async throws
}
