import _NIOFileSystem
public import NIOCore
public import SyncProtocol

extension UploadManager {
    public func uploadChunk<Body: AsyncSequence & Sendable>(_ principal: Principal, uploadId: String, index: Int64, digest: [UInt8],
                                                            declaredLength: Int64?, body: Body) async throws(ServiceError) -> ChunkReceipt
    where Body.Element == ByteBuffer {
        let session = try await session(principal, uploadId)
        guard session.state != .finalized else { throw Self.finalized }
        try checkNotExpired(session)
        let layout = session.layout
        guard layout.contains(index) else {
            throw ServiceError(.chunkIndexOutOfRange, "the chunk index must be 0 to \(layout.chunkCount - 1)")
        }
        let expected = layout.length(of: index)
        let sizeMismatch = ServiceError(.chunkSizeMismatch, "chunk \(index) must be exactly \(expected) bytes")
        if let declaredLength, declaredLength != expected { throw sizeMismatch }

        let chunk = UploadChunkEntry(index: index, size: expected, sha256: HexDigest.encode(digest),
                                     blob: UploadIdentifier.make(prefix: "c\(index)_"))
        if let stored = try await storage({ try await store.uploadChunk(tenant: session.tenant, uploadId: uploadId, index: index) }) {
            // A re-send: its bytes are checked against their digest, then compared, never stored again.
            try await receive(sizeMismatch) { try await files.verify(body: body, expectedLength: expected, expectedDigest: digest) }
            return try Self.resent(chunk, stored: stored, uploadId: uploadId)
        }
        try await receive(sizeMismatch) {
            try await files.writeChunk(upload: uploadId, blob: chunk.blob, body: body, expectedLength: expected, expectedDigest: digest)
        }

        let insertion: ChunkInsertion
        do {
            insertion = try await store.addUploadChunk(tenant: session.tenant, uploadId: uploadId, chunk)
        } catch {
            await discard(chunk, of: uploadId)
            logger.error("chunk metadata write failed", metadata: ["upload": "\(uploadId)", "error": "\(error)"])
            throw ServiceError(.internalError, "the chunk could not be stored; retry")
        }
        switch insertion {
        case .stored:
            return ChunkReceipt(uploadId: uploadId, index: index, size: expected, sha256: chunk.sha256, alreadyStored: false)
        case .existing(let stored):
            await discard(chunk, of: uploadId)
            return try Self.resent(chunk, stored: stored, uploadId: uploadId)
        case .sessionClosed:
            // Finalized, expired, cancelled or reset meanwhile: none of its chunk files are needed.
            await removeBytes(ofUpload: uploadId)
            throw await closedSessionError(principal, uploadId)
        }
    }

    /// Finalizes once per session. Concurrent calls on this node take turns; on nodes sharing
    /// the database and data directory they may assemble the file each, and the first to record
    /// it wins: the others delete their copy and answer with the winner's file (UPL-8), also when
    /// the winner deleted the chunks under them. A session that the janitor expired meanwhile is
    /// answered `upload_expired`.
    public func finalizeUpload(_ principal: Principal, uploadId: String) async throws(ServiceError) -> UploadedFile {
        try await finalizeLock.withLock(uploadId) { () async throws(ServiceError) -> UploadedFile in
            let session = try await session(principal, uploadId)
            if session.state == .finalized { return try await finalizedFile(session) }
            try checkNotExpired(session)
            let chunks = try await storage { try await store.uploadChunks(tenant: session.tenant, uploadId: uploadId) }
            let missing = session.layout.missing(from: Set(chunks.map(\.index)))
            guard missing.isEmpty else {
                throw ServiceError(.uploadIncomplete, "\(missing.count) chunk(s) are missing", missingChunks: missing)
            }
            let fileId = UploadIdentifier.make(prefix: "f_")
            do throws(ServiceError) {
                try await assemble(session, chunks: chunks, into: fileId)
            } catch {
                // Chunks deleted under the assembly by another node's finalize or by expiry.
                guard error.code == .internalError, let now = try? await store.uploadSession(tenant: session.tenant, uploadId: uploadId),
                      now.state != .open else { throw error }
                if now.state == .finalized { return try await finalizedFile(now) }
                throw Self.expired
            }
            let entry = StoredFileEntry(tenant: session.tenant, uploadId: uploadId, file: UploadedFile(
                fileId: fileId, name: session.name, size: session.size, sha256: session.sha256, contentType: session.contentType,
                createdAt: clock.now(tenant: session.tenant)))
            let stored: StoredFileEntry?
            do {
                stored = try await store.finalizeUploadSession(tenant: session.tenant, uploadId: uploadId, file: entry)
            } catch {
                try? await files.removeFile(fileId)
                logger.error("finalize metadata write failed", metadata: ["upload": "\(uploadId)", "error": "\(error)"])
                throw ServiceError(.internalError, "the file could not be stored; retry")
            }
            guard let stored else {
                try? await files.removeFile(fileId)
                throw await closedSessionError(principal, uploadId)
            }
            guard stored.file.fileId == fileId else {
                // Another node finalized the session meanwhile: its file is the answer (UPL-8).
                try? await files.removeFile(fileId)
                return stored.file
            }
            await removeBytes(ofUpload: uploadId)
            await emit(.finalized, session, fileId: fileId)
            return stored.file
        }
    }

    /// Expires the open sessions whose time has passed in their tenant's clock and deletes their
    /// chunks (UPL-10), then forgets expired sessions older than the retention. Returns how many
    /// sessions it expired.
    public func expireSessions() async throws -> Int {
        var count = 0
        for tenant in try await store.tenantsWithOpenUploads() {
            for session in try await store.expireUploadSessions(tenant: tenant, now: clock.now(tenant: tenant)) {
                await removeBytes(ofUpload: session.uploadId)
                await emit(.expired, session)
                count += 1
            }
        }
        _ = try await store.purgeExpiredUploadSessions(before: clock.realTime() - configuration.expiredRetentionSeconds * 1000)
        return count
    }

    /// Reads a chunk body through `body`, turning its failures into the spec's codes
    /// (`sizeMismatch` for a wrong length).
    private func receive(_ sizeMismatch: ServiceError, _ body: () async throws -> Void) async throws(ServiceError) {
        do {
            try await body()
        } catch let error as UploadDiskError {
            switch error.code {
            case .lengthMismatch: throw sizeMismatch
            case .digestMismatch: throw ServiceError(.digestMismatch, "the chunk's SHA-256 differs from Content-Digest; it was discarded")
            case .storageFull: throw ServiceError(.storageFull, "the server's disk is full; nothing was stored")
            case .truncated: throw ServiceError(.internalError, "the chunk could not be stored; retry")
            }
        } catch let error as FileSystemError {
            logger.error("a chunk could not be written to disk", metadata: ["error": "\(error)"])
            throw ServiceError(.internalError, "the chunk could not be stored; retry")
        } catch {
            // The body stream failed: routine for resumable uploads (the client went away
            // mid-chunk, a proxy cut it). Nothing was kept; the client resends the chunk.
            logger.info("a chunk's body ended early; nothing was stored", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            throw ServiceError(.internalError, "the chunk could not be stored; retry")
        }
    }

    /// The answer to a chunk whose index is already stored (UPL-5): 200 for the same bytes,
    /// `chunk_conflict` for others.
    private static func resent(_ chunk: UploadChunkEntry, stored: UploadChunkEntry, uploadId: String) throws(ServiceError) -> ChunkReceipt {
        guard stored.sha256 == chunk.sha256, stored.size == chunk.size else {
            throw ServiceError(.chunkConflict, "chunk \(chunk.index) is already stored with different bytes; the stored chunk is kept")
        }
        return ChunkReceipt(uploadId: uploadId, index: chunk.index, size: stored.size, sha256: stored.sha256, alreadyStored: true)
    }

    /// The file of an already finalized session (UPL-8).
    private func finalizedFile(_ session: UploadSessionEntry) async throws(ServiceError) -> UploadedFile {
        guard let fileId = session.fileId,
              let entry = try await storage({ try await store.storedFile(tenant: session.tenant, fileId: fileId) }) else {
            throw ServiceError(.internalError, "the finalized file is missing")
        }
        return entry.file
    }

    /// Builds the file; on a whole-file hash mismatch every chunk is discarded and the session
    /// stays open with all chunks missing (UPL-7).
    private func assemble(_ session: UploadSessionEntry, chunks: [UploadChunkEntry], into fileId: String) async throws(ServiceError) {
        do {
            try await files.assemble(upload: session.uploadId, chunks: chunks, into: fileId, expectedSHA256: session.sha256)
        } catch let error as UploadDiskError where error.code == .digestMismatch {
            let discarded = try await storage { try await store.discardUploadChunks(tenant: session.tenant, uploadId: session.uploadId) }
            for chunk in discarded { await discard(chunk, of: session.uploadId) }
            throw ServiceError(.fileHashMismatch, "the assembled file's SHA-256 differs from the declared one; every chunk was discarded")
        } catch let error as UploadDiskError where error.code == .storageFull {
            throw ServiceError(.storageFull, "the server's disk is full; nothing was stored")
        } catch {
            logger.error("file assembly failed", metadata: ["upload": "\(session.uploadId)", "error": "\(error)"])
            throw ServiceError(.internalError, "the file could not be assembled; retry")
        }
    }

    /// Deletes one chunk file that is not (or no longer) recorded.
    private func discard(_ chunk: UploadChunkEntry, of uploadId: String) async {
        do {
            try await files.removeChunk(upload: uploadId, blob: chunk.blob)
        } catch {
            logger.warning("could not delete a chunk file", metadata: ["upload": "\(uploadId)", "error": "\(error)"])
        }
    }
}
