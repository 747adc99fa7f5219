import SyncProtocol

// The `UploadStore` operations: reads on a pooled connection; writes in a transaction of their own
// that holds the tenant's upload lock, so that two nodes never decide on the same session at once.
extension PostgresSyncStore: UploadStore {
    public func createUploadSession(_ session: UploadSessionEntry, maxOpenPerDevice: Int, quotaBytes: Int64?,
                                    now: Int64) async throws -> UploadCreation {
        try await transaction("createUploadSession", lock: .uploads(session.tenant)) {
            try await StoreQueries.createUploadSession(on: $0, session, maxOpenPerDevice: maxOpenPerDevice, quotaBytes: quotaBytes, now: now)
        }
    }

    public func uploadSession(tenant: String, uploadId: String) async throws -> UploadSessionEntry? {
        try await read { try await StoreQueries.uploadSession(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func uploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        try await read { try await StoreQueries.uploadChunks(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func uploadChunk(tenant: String, uploadId: String, index: Int64) async throws -> UploadChunkEntry? {
        try await read { try await StoreQueries.uploadChunk(on: $0, tenant: tenant, uploadId: uploadId, index: index) }
    }

    public func addUploadChunk(tenant: String, uploadId: String, _ chunk: UploadChunkEntry) async throws -> ChunkInsertion {
        try await transaction("addUploadChunk", lock: .uploads(tenant)) { try await StoreQueries.addUploadChunk(on: $0, tenant: tenant, uploadId: uploadId, chunk) }
    }

    public func discardUploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        try await transaction("discardUploadChunks", lock: .uploads(tenant)) { try await StoreQueries.discardUploadChunks(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func finalizeUploadSession(tenant: String, uploadId: String, file: StoredFileEntry) async throws -> StoredFileEntry? {
        try await transaction("finalizeUploadSession", lock: .uploads(tenant)) {
            try await StoreQueries.finalizeUploadSession(on: $0, tenant: tenant, uploadId: uploadId, file: file)
        }
    }

    public func deleteUploadSession(tenant: String, uploadId: String) async throws -> Bool {
        try await transaction("deleteUploadSession", lock: .uploads(tenant)) { try await StoreQueries.deleteUploadSession(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func tenantsWithOpenUploads() async throws -> [String] {
        try await read { try await StoreQueries.tenantsWithOpenUploads(on: $0) }
    }

    public func expireUploadSessions(tenant: String, now: Int64) async throws -> [UploadSessionEntry] {
        try await transaction("expireUploadSessions", lock: .uploads(tenant)) { try await StoreQueries.expireUploadSessions(on: $0, tenant: tenant, now: now) }
    }

    public func purgeExpiredUploadSessions(before cutoff: Int64) async throws -> Int {
        try await transaction("purgeExpiredUploadSessions", lock: nil) { try await StoreQueries.purgeExpiredUploadSessions(on: $0, before: cutoff) }
    }

    public func storedFile(tenant: String, fileId: String) async throws -> StoredFileEntry? {
        try await read { try await StoreQueries.storedFile(on: $0, tenant: tenant, fileId: fileId) }
    }

    public func resetUploads(tenant: String) async throws -> (uploadIds: [String], fileIds: [String]) {
        try await transaction("resetUploads", lock: .uploads(tenant)) { try await StoreQueries.resetUploads(on: $0, tenant: tenant) }
    }

    public func uploadStorageIndex() async throws -> UploadStorageIndex {
        try await read { try await StoreQueries.uploadStorageIndex(on: $0) }
    }
}
