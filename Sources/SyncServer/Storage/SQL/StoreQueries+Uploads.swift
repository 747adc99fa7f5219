import SyncProtocol

// MARK: - Upload sessions, chunks and files

extension StoreQueries {
    static let sessionColumns = """
        upload_id, tenant, device, name, size, content_type, sha256, chunk_size, state, created_at, expires_at, file_id
        """

    static func uploadSession(on connection: some SQLExecutor, tenant: String, uploadId: String) async throws -> UploadSessionEntry? {
        let rows = try await connection.rows("SELECT \(sessionColumns) FROM upload_sessions WHERE tenant = ? AND upload_id = ?",
                                             [.text(tenant), .text(uploadId)], operation: "uploadSession")
        return try rows.first.map { try uploadSession($0, operation: "uploadSession") }
    }

    static func uploadSession(_ row: SQLRow, operation: String) throws -> UploadSessionEntry {
        let reader = StoreRowReader(row: row, operation: operation)
        return UploadSessionEntry(
            tenant: try reader.text("tenant"), uploadId: try reader.text("upload_id"), device: try reader.text("device"),
            name: try reader.text("name"), size: try reader.int("size"), contentType: try reader.text("content_type"),
            sha256: try reader.text("sha256"), chunkSize: try reader.int("chunk_size"), state: try reader.value(UploadState.self, "state"),
            createdAt: try reader.int("created_at"), expiresAt: try reader.int("expires_at"), fileId: try reader.optionalText("file_id"))
    }

    static func insertUploadSession(on connection: some SQLExecutor, _ session: UploadSessionEntry) async throws {
        try await connection.run("INSERT INTO upload_sessions (\(sessionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            .text(session.uploadId), .text(session.tenant), .text(session.device), .text(session.name), .int64(session.size),
            .text(session.contentType), .text(session.sha256), .int64(session.chunkSize), .text(session.state.rawValue),
            .int64(session.createdAt), .int64(session.expiresAt), .optional(session.fileId),
        ], operation: "createUploadSession")
    }

    /// Open sessions of a device that have not expired at `now`.
    static func openUploadCount(on connection: some SQLExecutor, tenant: String, device: String, now: Int64) async throws -> Int64 {
        let value = try await connection.value("""
            SELECT COUNT(*) AS count FROM upload_sessions WHERE tenant = ? AND device = ? AND state = 'open' AND expires_at > ?
            """, [.text(tenant), .text(device), .int64(now)], column: "count", operation: "createUploadSession")
        return value?.integer.map { Int64($0) } ?? 0
    }

    /// Bytes the tenant holds: declared sizes of its open sessions unexpired at `now` plus its files.
    static func reservedUploadBytes(on connection: some SQLExecutor, tenant: String, now: Int64) async throws -> Int64 {
        let sessions = try await connection.value("""
            SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS total FROM upload_sessions WHERE tenant = ? AND state = 'open' AND expires_at > ?
            """, [.text(tenant), .int64(now)], column: "total", operation: "createUploadSession")
        let files = try await connection.value("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS total FROM files WHERE tenant = ?", [.text(tenant)],
                                               column: "total", operation: "createUploadSession")
        return Int64(sessions?.integer ?? 0) + Int64(files?.integer ?? 0)
    }

    static func uploadChunks(on connection: some SQLExecutor, tenant: String, uploadId: String) async throws -> [UploadChunkEntry] {
        let rows = try await connection.rows("""
            SELECT chunk_index, size, sha256, blob FROM upload_chunks WHERE tenant = ? AND upload_id = ? ORDER BY chunk_index
            """, [.text(tenant), .text(uploadId)], operation: "uploadChunks")
        return try rows.map { try uploadChunk($0, operation: "uploadChunks") }
    }

    static func uploadChunk(on connection: some SQLExecutor, tenant: String, uploadId: String, index: Int64) async throws -> UploadChunkEntry? {
        let rows = try await connection.rows("""
            SELECT chunk_index, size, sha256, blob FROM upload_chunks WHERE tenant = ? AND upload_id = ? AND chunk_index = ?
            """, [.text(tenant), .text(uploadId), .int64(index)], operation: "uploadChunk")
        return try rows.first.map { try uploadChunk($0, operation: "uploadChunk") }
    }

    static func uploadChunk(_ row: SQLRow, operation: String) throws -> UploadChunkEntry {
        let reader = StoreRowReader(row: row, operation: operation)
        return UploadChunkEntry(index: try reader.int("chunk_index"), size: try reader.int("size"),
                                sha256: try reader.text("sha256"), blob: try reader.text("blob"))
    }

    static func insertUploadChunk(on connection: some SQLExecutor, tenant: String, uploadId: String, _ chunk: UploadChunkEntry) async throws {
        try await connection.run("""
            INSERT INTO upload_chunks (upload_id, chunk_index, tenant, size, sha256, blob) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(uploadId), .int64(chunk.index), .text(tenant), .int64(chunk.size), .text(chunk.sha256), .text(chunk.blob)],
            operation: "addUploadChunk")
    }

    static func deleteUploadChunks(on connection: some SQLExecutor, tenant: String, uploadId: String) async throws {
        try await connection.run("DELETE FROM upload_chunks WHERE tenant = ? AND upload_id = ?", [.text(tenant), .text(uploadId)],
                                 operation: "deleteUploadChunks")
    }

    static func storedFile(on connection: some SQLExecutor, tenant: String, fileId: String) async throws -> StoredFileEntry? {
        let rows = try await connection.rows("""
            SELECT file_id, tenant, upload_id, name, size, sha256, content_type, created_at FROM files WHERE tenant = ? AND file_id = ?
            """, [.text(tenant), .text(fileId)], operation: "storedFile")
        return try rows.first.map { row in
            let reader = StoreRowReader(row: row, operation: "storedFile")
            let file = UploadedFile(fileId: try reader.text("file_id"), name: try reader.text("name"), size: try reader.int("size"),
                                    sha256: try reader.text("sha256"), contentType: try reader.text("content_type"),
                                    createdAt: try reader.int("created_at"))
            return StoredFileEntry(tenant: try reader.text("tenant"), uploadId: try reader.text("upload_id"), file: file)
        }
    }

    static func insertStoredFile(on connection: some SQLExecutor, _ entry: StoredFileEntry) async throws {
        let file = entry.file
        try await connection.run("""
            INSERT INTO files (file_id, tenant, upload_id, name, size, sha256, content_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(file.fileId), .text(entry.tenant), .text(entry.uploadId), .text(file.name), .int64(file.size),
                .text(file.sha256), .text(file.contentType), .int64(file.createdAt),
            ], operation: "finalizeUploadSession")
    }

    /// One text column of every row.
    static func texts(on connection: some SQLExecutor, _ sql: String, _ binds: [SQLValue] = [], column: String,
                      operation: String) async throws -> [String] {
        try await connection.rows(sql, binds, operation: operation).map { try StoreRowReader(row: $0, operation: operation).text(column) }
    }
}
