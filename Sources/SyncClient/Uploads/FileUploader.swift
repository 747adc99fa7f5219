import Crypto
public import Foundation
public import SyncProtocol

/// Progress of one upload, reported after each chunk.
public struct UploadProgress: Sendable, Hashable {
    /// The server's upload id.
    public var uploadId: String
    /// Chunks the file has.
    public var chunkCount: Int64
    /// Chunks the server holds.
    public var chunksStored: Int64
    /// Chunks this run sent (a resumed upload sends only the missing ones).
    public var chunksSent: Int64
    /// Chunks the server already had when this run started.
    public var chunksSkipped: Int64
    /// The file's size in bytes.
    public var size: Int64
}

/// Resumable uploads (UPL-*): the session is persisted in the client store before any chunk
/// goes up, so after a crash or restart the same file resumes: the client reads the server's
/// status and sends only the missing chunks, each with its `Content-Digest`, several at a time,
/// then finalizes once.
struct FileUploader: Sendable {
    let rest: RESTClient
    let store: any ClientStore
    let tokens: any TokenProvider
    let parallelism: Int
    let backoff: Backoff
    /// Attempts per chunk before the upload fails (transient failures only).
    let attemptsPerChunk = 8

    func upload(fileAt url: URL, contentType: String, progress: @escaping @Sendable (UploadProgress) -> Void) async throws(SyncClientError) -> UploadedFile {
        let path = url.standardizedFileURL.path
        let (size, sha256) = try Self.measure(path: path)
        var session = try await existingSession(path: path, sha256: sha256)
            ?? UploadSessionRecord(localId: UUID().uuidString.lowercased(), filePath: path, size: size, sha256: sha256)
        try await save(session)
        var status = try await serverSession(for: &session, name: url.lastPathComponent, contentType: contentType)
        guard status.describes(fileOfSize: session.size) else {
            throw SyncClientError(.refused, "the server's upload session does not describe this file (size, chunk size or chunk count)")
        }
        if status.state != .finalized {
            status = try await sendMissingChunks(of: status, path: path, progress: progress)
        }
        let file: UploadedFile
        let finalizeToken = try await token()
        do throws(TransportError) {
            file = try await rest.finalize(uploadId: status.uploadId, token: finalizeToken)
        } catch {
            if error.code == .fileHashMismatch {
                session.state = .failed
                try await save(session)
            }
            throw Self.failure(error, doing: "finalizing the upload")
        }
        session.state = .finalized
        try await save(session)
        return file
    }

    /// The server session for `session`: the one it names when the server still has it,
    /// otherwise a new one (recorded in the store before any chunk is sent).
    private func serverSession(for session: inout UploadSessionRecord, name: String, contentType: String) async throws(SyncClientError) -> UploadSession {
        let token = try await token()
        if let uploadId = session.uploadId {
            do throws(TransportError) {
                return try await rest.uploadStatus(uploadId: uploadId, token: token)
            } catch where error.code == .notFound || error.code == .uploadExpired {
                session.uploadId = nil
            } catch {
                throw Self.failure(error, doing: "reading the upload's status")
            }
        }
        let created: UploadSession
        do throws(TransportError) {
            created = try await rest.initUpload(UploadInit(name: Self.safeName(name), size: session.size, contentType: contentType,
                                                           sha256: session.sha256), token: token)
        } catch {
            throw Self.failure(error, doing: "starting the upload")
        }
        session.uploadId = created.uploadId
        session.chunkSize = created.chunkSize
        session.chunkCount = created.chunkCount
        session.state = .uploading
        try await save(session)
        return created
    }

    private func sendMissingChunks(of status: UploadSession, path: String,
                                   progress: @escaping @Sendable (UploadProgress) -> Void) async throws(SyncClientError) -> UploadSession {
        let missing = status.missingIndexes
        var report = UploadProgress(uploadId: status.uploadId, chunkCount: status.chunkCount,
                                    chunksStored: status.chunkCount - Int64(missing.count), chunksSent: 0,
                                    chunksSkipped: status.chunkCount - Int64(missing.count), size: status.size)
        progress(report)
        let result = await withTaskGroup(of: Result<Int64, SyncClientError>.self) { group in
            var pending = missing[...]
            var failure: SyncClientError?
            func launch() {
                guard failure == nil, let index = pending.popFirst() else { return }
                group.addTask { await sendChunk(index, of: status, path: path) }
            }
            for _ in 0..<max(1, parallelism) { launch() }
            while let outcome = await group.next() {
                switch outcome {
                case .success:
                    report.chunksSent += 1
                    report.chunksStored += 1
                    progress(report)
                    launch()
                case .failure(let error):
                    failure = failure ?? error
                }
            }
            return failure
        }
        if let result { throw result }
        let token = try await token()
        do throws(TransportError) {
            return try await rest.uploadStatus(uploadId: status.uploadId, token: token)
        } catch {
            throw Self.failure(error, doing: "reading the upload's status")
        }
    }

    /// Sends one chunk, retrying what can succeed (a digest mismatch means the bytes were damaged
    /// on the way: read and send again).
    private func sendChunk(_ index: Int64, of status: UploadSession, path: String) async -> Result<Int64, SyncClientError> {
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            do {
                let bytes = try Self.read(path: path, offset: index * status.chunkSize, length: min(status.chunkSize, status.size - index * status.chunkSize))
                let digest = "sha-256=:\(Data(SHA256.hash(data: bytes)).base64EncodedString()):"
                _ = try await rest.uploadChunk(uploadId: status.uploadId, index: index, bytes: bytes, digest: digest, token: try await token())
                return .success(index)
            } catch let error as TransportError {
                let retryable = error.kind == .unreachable || error.problem?.retryable == true || error.code == .digestMismatch
                attempt += 1
                guard retryable, attempt < attemptsPerChunk, !Task.isCancelled else {
                    return .failure(Self.failure(error, doing: "sending chunk \(index)"))
                }
                try? await Task.sleep(for: .milliseconds(backoff.delay(attempt: attempt - 1, retryAfterMs: error.problem?.retryAfterMs, using: &random)))
            } catch let error as SyncClientError {
                return .failure(error)
            } catch {
                return .failure(SyncClientError(.fileUnreadable, "chunk \(index) could not be read"))
            }
        }
    }

    private func existingSession(path: String, sha256: String) async throws(SyncClientError) -> UploadSessionRecord? {
        do {
            return try await store.uploadSessions().first {
                $0.filePath == path && $0.sha256 == sha256 && ($0.state == .pending || $0.state == .uploading)
            }
        } catch {
            throw SyncClientError(.store, "the upload sessions could not be read: \(error)")
        }
    }

    private func save(_ session: UploadSessionRecord) async throws(SyncClientError) {
        do {
            try await store.saveUploadSession(session)
        } catch {
            throw SyncClientError(.store, "the upload session could not be saved: \(error)")
        }
    }

    private func token() async throws(SyncClientError) -> String {
        do {
            return try await tokens.token(refresh: false)
        } catch {
            throw SyncClientError(.needsAuthentication, "no token for the upload")
        }
    }

    /// The file's size and SHA-256 (hex), read in 1 MiB blocks.
    static func measure(path: String) throws(SyncClientError) -> (Int64, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SyncClientError(.fileUnreadable, "the file cannot be opened")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                hasher.update(data: block)
                size += Int64(block.count)
            }
        } catch {
            throw SyncClientError(.fileUnreadable, "the file could not be read")
        }
        return (size, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func read(path: String, offset: Int64, length: Int64) throws(SyncClientError) -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SyncClientError(.fileUnreadable, "the file cannot be opened")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: Int(length)) ?? Data()
            guard data.count == length else { throw SyncClientError(.fileUnreadable, "the file changed while uploading") }
            return data
        } catch let error as SyncClientError {
            throw error
        } catch {
            throw SyncClientError(.fileUnreadable, "the file could not be read")
        }
    }

    /// A name the server accepts: the file's name, or `file` when it has nothing usable.
    static func safeName(_ name: String) -> String {
        let trimmed = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0 != "/" && $0 != "\\" }.prefix(255).map(Character.init))
        return trimmed.isEmpty ? "file" : trimmed
    }

    static func failure(_ error: TransportError, doing what: String) -> SyncClientError {
        switch error.code {
        case .unauthorized?, .tokenExpired?, .forbidden?:
            return SyncClientError(.needsAuthentication, "\(what): the server refused the token")
        case let code?:
            return SyncClientError(.refused, "\(what): the server answered \(code)")
        case nil:
            return SyncClientError(.timedOut, "\(what): \(error.message)")
        }
    }
}
