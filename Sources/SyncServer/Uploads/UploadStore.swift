/// Durable metadata of uploads: sessions, their verified chunks and finalized files. The bytes
/// live in an `UploadFileStore`; a row here is written only after its bytes are durable, so the
/// metadata never points at a partial file. Every method is scoped by tenant.
public protocol UploadStore: Sendable {
    /// Stores a new session unless the device already holds `maxOpenPerDevice` open, unexpired
    /// sessions (at `now`) or, with a `quotaBytes`, the tenant's bytes (declared sizes of its open,
    /// unexpired sessions plus its files) and the new size exceed it. Decided in one transaction.
    func createUploadSession(_ session: UploadSessionEntry, maxOpenPerDevice: Int, quotaBytes: Int64?, now: Int64) async throws -> UploadCreation

    /// A session of the tenant; `nil` when it has none with this id.
    func uploadSession(tenant: String, uploadId: String) async throws -> UploadSessionEntry?

    /// The stored chunks of a session, by index.
    func uploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry]

    /// One stored chunk of a session; `nil` when that index is not stored.
    func uploadChunk(tenant: String, uploadId: String, index: Int64) async throws -> UploadChunkEntry?

    /// Records a verified chunk if the session is open and has no chunk with this index yet.
    func addUploadChunk(tenant: String, uploadId: String, _ chunk: UploadChunkEntry) async throws -> ChunkInsertion

    /// Deletes every chunk of an open session (after a whole-file hash mismatch) and returns them.
    func discardUploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry]

    /// Records the file, marks the open session finalized with its id and deletes the chunk
    /// rows, atomically. Returns the stored file, or the earlier one when the session was
    /// already finalized; `nil` when the session is gone or not open.
    func finalizeUploadSession(tenant: String, uploadId: String, file: StoredFileEntry) async throws -> StoredFileEntry?

    /// Deletes a session that is not finalized, with its chunk rows (cancel); returns whether it did.
    func deleteUploadSession(tenant: String, uploadId: String) async throws -> Bool

    /// Tenants that have open sessions.
    func tenantsWithOpenUploads() async throws -> [String]

    /// Marks the tenant's open sessions whose `expires_at` is before `now` expired, deletes their
    /// chunk rows, and returns them.
    func expireUploadSessions(tenant: String, now: Int64) async throws -> [UploadSessionEntry]

    /// Deletes expired sessions whose `expires_at` is before `cutoff` (real time, ms); returns how many.
    func purgeExpiredUploadSessions(before cutoff: Int64) async throws -> Int

    /// A finalized file of the tenant.
    func storedFile(tenant: String, fileId: String) async throws -> StoredFileEntry?

    /// Deletes every session, chunk row and file row of the tenant (TEST-3); returns the ids of
    /// its sessions and files so that their bytes can be deleted.
    func resetUploads(tenant: String) async throws -> (uploadIds: [String], fileIds: [String])

    /// Everything the metadata references, across tenants.
    func uploadStorageIndex() async throws -> UploadStorageIndex
}
