import SQLiteNIO
import SyncProtocol

extension SQLiteSyncStore: UploadStore {
    public func createUploadSession(_ session: UploadSessionEntry, maxOpenPerDevice: Int, quotaBytes: Int64?,
                                    now: Int64) async throws -> UploadCreation {
        try await transaction("createUploadSession") { connection in
            let open = try await SQLiteQueries.openUploadCount(on: connection, tenant: session.tenant, device: session.device, now: now)
            if open >= maxOpenPerDevice { return .tooManyUploads }
            if let quotaBytes {
                let reserved = try await SQLiteQueries.reservedUploadBytes(on: connection, tenant: session.tenant, now: now)
                if reserved > quotaBytes - session.size { return .storageFull }
            }
            try await SQLiteQueries.insertUploadSession(on: connection, session)
            return .created
        }
    }

    public func uploadSession(tenant: String, uploadId: String) async throws -> UploadSessionEntry? {
        try await read { try await SQLiteQueries.uploadSession(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func uploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        try await read { try await SQLiteQueries.uploadChunks(on: $0, tenant: tenant, uploadId: uploadId) }
    }

    public func uploadChunk(tenant: String, uploadId: String, index: Int64) async throws -> UploadChunkEntry? {
        try await read { try await SQLiteQueries.uploadChunk(on: $0, tenant: tenant, uploadId: uploadId, index: index) }
    }

    public func addUploadChunk(tenant: String, uploadId: String, _ chunk: UploadChunkEntry) async throws -> ChunkInsertion {
        try await transaction("addUploadChunk") { connection in
            guard let session = try await SQLiteQueries.uploadSession(on: connection, tenant: tenant, uploadId: uploadId),
                  session.state == .open else { return .sessionClosed }
            if let existing = try await SQLiteQueries.uploadChunk(on: connection, tenant: tenant, uploadId: uploadId, index: chunk.index) {
                return .existing(existing)
            }
            try await SQLiteQueries.insertUploadChunk(on: connection, tenant: tenant, uploadId: uploadId, chunk)
            return .stored
        }
    }

    public func discardUploadChunks(tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        try await transaction("discardUploadChunks") { connection in
            let chunks = try await SQLiteQueries.uploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
            try await SQLiteQueries.deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
            return chunks
        }
    }

    public func finalizeUploadSession(tenant: String, uploadId: String, file: StoredFileEntry) async throws -> StoredFileEntry? {
        try await transaction("finalizeUploadSession") { connection in
            guard let session = try await SQLiteQueries.uploadSession(on: connection, tenant: tenant, uploadId: uploadId) else { return nil }
            switch session.state {
            case .finalized:
                guard let fileId = session.fileId else { return nil }
                return try await SQLiteQueries.storedFile(on: connection, tenant: tenant, fileId: fileId)
            case .open:
                try await SQLiteQueries.insertStoredFile(on: connection, file)
                try await connection.run("UPDATE upload_sessions SET state = 'finalized', file_id = ? WHERE tenant = ? AND upload_id = ?",
                                         [.text(file.file.fileId), .text(tenant), .text(uploadId)], operation: "finalizeUploadSession")
                try await SQLiteQueries.deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
                return file
            case .cancelled, .expired:
                return nil
            }
        }
    }

    public func deleteUploadSession(tenant: String, uploadId: String) async throws -> Bool {
        try await transaction("deleteUploadSession") { connection in
            guard let session = try await SQLiteQueries.uploadSession(on: connection, tenant: tenant, uploadId: uploadId),
                  session.state != .finalized else { return false }
            try await SQLiteQueries.deleteUploadChunks(on: connection, tenant: tenant, uploadId: uploadId)
            try await connection.run("DELETE FROM upload_sessions WHERE tenant = ? AND upload_id = ?", [.text(tenant), .text(uploadId)],
                                     operation: "deleteUploadSession")
            return true
        }
    }

    public func tenantsWithOpenUploads() async throws -> [String] {
        try await read { connection in
            try await SQLiteQueries.texts(on: connection, "SELECT DISTINCT tenant FROM upload_sessions WHERE state = 'open'",
                                          column: "tenant", operation: "tenantsWithOpenUploads")
        }
    }

    public func expireUploadSessions(tenant: String, now: Int64) async throws -> [UploadSessionEntry] {
        try await transaction("expireUploadSessions") { connection in
            let rows = try await connection.rows("""
                SELECT \(SQLiteQueries.sessionColumns) FROM upload_sessions WHERE tenant = ? AND state = 'open' AND expires_at < ?
                """, [.text(tenant), .int64(now)], operation: "expireUploadSessions")
            let sessions = try rows.map { try SQLiteQueries.uploadSession($0, operation: "expireUploadSessions") }
            for session in sessions {
                try await SQLiteQueries.deleteUploadChunks(on: connection, tenant: tenant, uploadId: session.uploadId)
                try await connection.run("UPDATE upload_sessions SET state = 'expired' WHERE tenant = ? AND upload_id = ?",
                                         [.text(tenant), .text(session.uploadId)], operation: "expireUploadSessions")
            }
            return sessions.map { session in
                var expired = session
                expired.state = .expired
                return expired
            }
        }
    }

    public func purgeExpiredUploadSessions(before cutoff: Int64) async throws -> Int {
        try await transaction("purgeExpiredUploadSessions") { connection in
            let count = try await connection.value("SELECT COUNT(*) AS count FROM upload_sessions WHERE state = 'expired' AND expires_at < ?",
                                                   [.int64(cutoff)], column: "count", operation: "purgeExpiredUploadSessions")
            try await connection.run("DELETE FROM upload_sessions WHERE state = 'expired' AND expires_at < ?", [.int64(cutoff)],
                                     operation: "purgeExpiredUploadSessions")
            return count?.integer.map { Int($0) } ?? 0
        }
    }

    public func storedFile(tenant: String, fileId: String) async throws -> StoredFileEntry? {
        try await read { try await SQLiteQueries.storedFile(on: $0, tenant: tenant, fileId: fileId) }
    }

    public func resetUploads(tenant: String) async throws -> (uploadIds: [String], fileIds: [String]) {
        try await transaction("resetUploads") { connection in
            let uploads = try await SQLiteQueries.texts(on: connection, "SELECT upload_id FROM upload_sessions WHERE tenant = ?",
                                                        [.text(tenant)], column: "upload_id", operation: "resetUploads")
            let files = try await SQLiteQueries.texts(on: connection, "SELECT file_id FROM files WHERE tenant = ?",
                                                      [.text(tenant)], column: "file_id", operation: "resetUploads")
            for table in ["upload_chunks", "upload_sessions", "files"] {
                try await connection.run("DELETE FROM \(table) WHERE tenant = ?", [.text(tenant)], operation: "resetUploads")
            }
            return (uploads, files)
        }
    }

    public func uploadStorageIndex() async throws -> UploadStorageIndex {
        try await read { connection in
            let open = try await SQLiteQueries.texts(on: connection, "SELECT upload_id FROM upload_sessions WHERE state = 'open'",
                                                     column: "upload_id", operation: "uploadStorageIndex")
            let rows = try await connection.rows("SELECT upload_id, blob FROM upload_chunks", operation: "uploadStorageIndex")
            var blobs: [String: Set<String>] = [:]
            for row in rows {
                let reader = SQLiteRowReader(row: row, operation: "uploadStorageIndex")
                blobs[try reader.text("upload_id"), default: []].insert(try reader.text("blob"))
            }
            let files = try await SQLiteQueries.texts(on: connection, "SELECT file_id FROM files", column: "file_id",
                                                      operation: "uploadStorageIndex")
            return UploadStorageIndex(openUploads: Set(open), chunkBlobs: blobs, files: Set(files))
        }
    }
}
