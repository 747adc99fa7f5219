import SyncProtocol

// MARK: - The upload operations of `UploadStore`, each run inside one transaction the caller holds

extension StoreQueries {
    static func createUploadSession(on connection: some SQLExecutor, _ session: UploadSessionEntry, maxOpenPerDevice: Int,
                                    quotaBytes: Int64?, now: Int64) async throws -> UploadCreation {
        let open = try await openUploadCount(on: connection, tenant: session.tenant, device: session.device, now: now)
        if open >= maxOpenPerDevice { return .tooManyUploads }
        if let quotaBytes {
            let reserved = try await reservedUploadBytes(on: connection, tenant: session.tenant, now: now)
            if reserved > quotaBytes - session.size { return .storageFull }
        }
        try await insertUploadSession(on: connection, session)
        return .created
    }

    static func addUploadChunk(on connection: some SQLExecutor, tenant: String, uploadId: String,
                               _ chunk: UploadChunkEntry) async throws -> ChunkInsertion {
        guard let session = try await uploadSession(on: connection, tenant: tenant, uploadId: uploadId),
              session.state == .open else { return .sessionClosed }
        if let existing = try await uploadChunk(on: connection, tenant: tenant, uploadId: uploadId, index: chunk.index) {
            return .existing(existing)
        }
        try await insertUploadChunk(on: connection, tenant: tenant, uploadId: uploadId, chunk)
        return .stored
    }

    static func discardUploadChunks(on connection: some SQLExecutor, tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        let chunks = try await uploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
        try await deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
        return chunks
    }

    static func finalizeUploadSession(on connection: some SQLExecutor, tenant: String, uploadId: String,
                                      file: StoredFileEntry) async throws -> StoredFileEntry? {
        guard let session = try await uploadSession(on: connection, tenant: tenant, uploadId: uploadId) else { return nil }
        switch session.state {
        case .finalized:
            guard let fileId = session.fileId else { return nil }
            return try await storedFile(on: connection, tenant: tenant, fileId: fileId)
        case .open:
            try await insertStoredFile(on: connection, file)
            try await connection.run("UPDATE upload_sessions SET state = 'finalized', file_id = ? WHERE tenant = ? AND upload_id = ?",
                                     [.text(file.file.fileId), .text(tenant), .text(uploadId)], operation: "finalizeUploadSession")
            try await deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
            return file
        case .cancelled, .expired:
            return nil
        }
    }

    static func deleteUploadSession(on connection: some SQLExecutor, tenant: String, uploadId: String) async throws -> Bool {
        guard let session = try await uploadSession(on: connection, tenant: tenant, uploadId: uploadId),
              session.state != .finalized else { return false }
        try await deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
        try await connection.run("DELETE FROM upload_sessions WHERE tenant = ? AND upload_id = ?", [.text(tenant), .text(uploadId)],
                                 operation: "deleteUploadSession")
        return true
    }

    static func tenantsWithOpenUploads(on connection: some SQLExecutor) async throws -> [String] {
        try await texts(on: connection, "SELECT DISTINCT tenant FROM upload_sessions WHERE state = 'open'",
                        column: "tenant", operation: "tenantsWithOpenUploads")
    }

    static func expireUploadSessions(on connection: some SQLExecutor, tenant: String, now: Int64) async throws -> [UploadSessionEntry] {
        let rows = try await connection.rows("""
            SELECT \(sessionColumns) FROM upload_sessions WHERE tenant = ? AND state = 'open' AND expires_at < ?
            """, [.text(tenant), .int64(now)], operation: "expireUploadSessions")
        let sessions = try rows.map { try uploadSession($0, operation: "expireUploadSessions") }
        for session in sessions {
            try await deleteUploadChunks(on: connection, tenant: tenant, uploadId: session.uploadId)
            try await connection.run("UPDATE upload_sessions SET state = 'expired' WHERE tenant = ? AND upload_id = ?",
                                     [.text(tenant), .text(session.uploadId)], operation: "expireUploadSessions")
        }
        return sessions.map { session in
            var expired = session
            expired.state = .expired
            return expired
        }
    }

    static func purgeExpiredUploadSessions(on connection: some SQLExecutor, before cutoff: Int64) async throws -> Int {
        let count = try await connection.value("SELECT COUNT(*) AS count FROM upload_sessions WHERE state = 'expired' AND expires_at < ?",
                                               [.int64(cutoff)], column: "count", operation: "purgeExpiredUploadSessions")
        try await connection.run("DELETE FROM upload_sessions WHERE state = 'expired' AND expires_at < ?", [.int64(cutoff)],
                                 operation: "purgeExpiredUploadSessions")
        return count?.integer.map { Int($0) } ?? 0
    }

    static func resetUploads(on connection: some SQLExecutor, tenant: String) async throws -> (uploadIds: [String], fileIds: [String]) {
        let uploads = try await texts(on: connection, "SELECT upload_id FROM upload_sessions WHERE tenant = ?",
                                      [.text(tenant)], column: "upload_id", operation: "resetUploads")
        let files = try await texts(on: connection, "SELECT file_id FROM files WHERE tenant = ?",
                                    [.text(tenant)], column: "file_id", operation: "resetUploads")
        for table in ["upload_chunks", "upload_sessions", "files"] {
            try await connection.run("DELETE FROM \(table) WHERE tenant = ?", [.text(tenant)], operation: "resetUploads")
        }
        return (uploads, files)
    }

    static func uploadStorageIndex(on connection: some SQLExecutor) async throws -> UploadStorageIndex {
        let open = try await texts(on: connection, "SELECT upload_id FROM upload_sessions WHERE state = 'open'",
                                   column: "upload_id", operation: "uploadStorageIndex")
        let rows = try await connection.rows("SELECT upload_id, blob FROM upload_chunks", operation: "uploadStorageIndex")
        var blobs: [String: Set<String>] = [:]
        for row in rows {
            let reader = StoreRowReader(row: row, operation: "uploadStorageIndex")
            blobs[try reader.text("upload_id"), default: []].insert(try reader.text("blob"))
        }
        let files = try await texts(on: connection, "SELECT file_id FROM files", column: "file_id", operation: "uploadStorageIndex")
        return UploadStorageIndex(openUploads: Set(open), chunkBlobs: blobs, files: Set(files))
    }
}
