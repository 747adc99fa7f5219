import Synchronization
@testable import SyncServer

/// An `UploadStore` that runs `hook` once, the first time a finalize reads a session's chunks,
/// just before it assembles them: what another node (or the janitor) does at that moment.
final class FinalizeRaceStore: UploadStore {
    let base: any UploadStore
    private let hook: Mutex<(@Sendable () async throws -> Void)?>

    init(_ base: any UploadStore, hook: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.hook = Mutex(hook)
    }

    func uploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        let chunks = try await base.uploadChunks(tenant: tenant, uploadId: uploadId)
        if let hook = hook.withLock({ hook in defer { hook = nil }; return hook }) { try await hook() }
        return chunks
    }

    func createUploadSession(_ session: UploadSessionEntry, maxOpenPerDevice: Int, quotaBytes: Int64?, now: Int64) async throws -> UploadCreation {
        try await base.createUploadSession(session, maxOpenPerDevice: maxOpenPerDevice, quotaBytes: quotaBytes, now: now)
    }
    func uploadSession(tenant: String, uploadId: String) async throws -> UploadSessionEntry? {
        try await base.uploadSession(tenant: tenant, uploadId: uploadId)
    }
    func uploadChunk(tenant: String, uploadId: String, index: Int64) async throws -> UploadChunkEntry? {
        try await base.uploadChunk(tenant: tenant, uploadId: uploadId, index: index)
    }
    func addUploadChunk(tenant: String, uploadId: String, _ chunk: UploadChunkEntry) async throws -> ChunkInsertion {
        try await base.addUploadChunk(tenant: tenant, uploadId: uploadId, chunk)
    }
    func discardUploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        try await base.discardUploadChunks(tenant: tenant, uploadId: uploadId)
    }
    func finalizeUploadSession(tenant: String, uploadId: String, file: StoredFileEntry) async throws -> StoredFileEntry? {
        try await base.finalizeUploadSession(tenant: tenant, uploadId: uploadId, file: file)
    }
    func deleteUploadSession(tenant: String, uploadId: String) async throws -> Bool {
        try await base.deleteUploadSession(tenant: tenant, uploadId: uploadId)
    }
    func tenantsWithOpenUploads() async throws -> [String] {
        try await base.tenantsWithOpenUploads()
    }
    func expireUploadSessions(tenant: String, now: Int64) async throws -> [UploadSessionEntry] {
        try await base.expireUploadSessions(tenant: tenant, now: now)
    }
    func purgeExpiredUploadSessions(before cutoff: Int64) async throws -> Int {
        try await base.purgeExpiredUploadSessions(before: cutoff)
    }
    func storedFile(tenant: String, fileId: String) async throws -> StoredFileEntry? {
        try await base.storedFile(tenant: tenant, fileId: fileId)
    }
    func resetUploads(tenant: String) async throws -> (uploadIds: [String], fileIds: [String]) {
        try await base.resetUploads(tenant: tenant)
    }
    func uploadStorageIndex() async throws -> UploadStorageIndex {
        try await base.uploadStorageIndex()
    }
}
