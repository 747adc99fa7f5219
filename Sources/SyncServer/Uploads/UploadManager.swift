import Foundation
public import Logging
public import NIOCore
public import SyncProtocol

/// The reference server's uploads: metadata in an `UploadStore`, bytes in an `UploadFileStore`,
/// times from the tenant clock (TEST-5). Bodies are streamed to disk and hashed as they arrive;
/// nothing holds a whole chunk or file in memory.
public final class UploadManager: UploadService {
    let store: any UploadStore
    let files: UploadFileStore
    let clock: TenantClock
    /// Limits and timings.
    public let configuration: UploadConfiguration
    let onEvent: UploadEventHandler?
    let logger: Logger
    let finalizeLock = KeyedLock()

    /// Creates the manager over the data directory `root`; call `prepare()` before serving.
    /// `onEvent` is the analytics hook (finalized, cancelled, expired sessions).
    public init(store: any UploadStore, root: String, clock: TenantClock, configuration: UploadConfiguration = UploadConfiguration(),
                onEvent: UploadEventHandler? = nil, logger: Logger) {
        self.store = store
        self.files = UploadFileStore(root: root)
        self.clock = clock
        self.configuration = configuration
        self.onEvent = onEvent
        self.logger = logger
    }

    /// Creates the folders and deletes bytes the metadata does not reference (left by a crash
    /// between writing and recording them). Call it before serving. With other nodes on the same
    /// data directory, give an `orphanGrace`: what changed more recently may be a transfer of
    /// another node between writing its bytes and recording them, and is left alone.
    public func prepare(orphanGrace: Duration = .zero) async throws {
        try await files.prepare()
        let seconds = Double(orphanGrace.components.seconds) + Double(orphanGrace.components.attoseconds) / 1e18
        let cutoff = orphanGrace > .zero ? Date(timeIntervalSinceNow: -seconds) : nil
        let removed = try await files.removeOrphans(keeping: try await store.uploadStorageIndex(), unchangedSince: cutoff)
        if removed > 0 { logger.info("removed orphaned upload data", metadata: ["entries": "\(removed)"]) }
    }

    public func initUpload(_ principal: Principal, _ request: UploadInit) async throws(ServiceError) -> UploadSession {
        let device = try Self.device(of: principal)
        guard request.size <= configuration.maxUploadBytes else {
            throw ServiceError(.uploadTooLarge, "the file is larger than \(configuration.maxUploadBytes) bytes")
        }
        let now = clock.now(tenant: principal.tenant)
        let session = UploadSessionEntry(
            tenant: principal.tenant, uploadId: UploadIdentifier.make(prefix: "up_"), device: device,
            name: FileNameSanitizer.sanitize(request.name), size: request.size, contentType: request.contentType,
            sha256: request.sha256, chunkSize: request.chunkSize ?? Limits.defaultChunkBytes, state: .open,
            createdAt: now, expiresAt: now + configuration.expirySeconds * 1000)
        let creation = try await storage {
            try await store.createUploadSession(session, maxOpenPerDevice: configuration.maxUploadsPerDevice,
                                                quotaBytes: configuration.quotaBytes, now: now)
        }
        switch creation {
        case .created:
            return session.wire(chunks: [])
        case .tooManyUploads:
            throw ServiceError(.tooManyUploads, "this device already has \(configuration.maxUploadsPerDevice) open uploads")
        case .storageFull:
            throw ServiceError(.storageFull, "the server's storage cannot take \(request.size) more bytes")
        }
    }

    public func uploadStatus(_ principal: Principal, uploadId: String) async throws(ServiceError) -> UploadSession {
        let session = try await session(principal, uploadId)
        switch session.state {
        case .open:
            try checkNotExpired(session)
            return session.wire(chunks: try await storage { try await store.uploadChunks(tenant: session.tenant, uploadId: uploadId) })
        case .finalized:
            return session.wire(chunks: [])
        case .expired, .cancelled:
            throw Self.expired
        }
    }

    public func cancelUpload(_ principal: Principal, uploadId: String) async throws(ServiceError) {
        let session = try await session(principal, uploadId)
        guard session.state != .finalized else { throw Self.finalized }
        let deleted = try await storage { try await store.deleteUploadSession(tenant: session.tenant, uploadId: uploadId) }
        guard deleted else { throw await closedSessionError(principal, uploadId) }
        await removeBytes(ofUpload: uploadId)
        if session.state == .open, clock.now(tenant: session.tenant) <= session.expiresAt {
            await emit(.cancelled, session)
        }
    }

    public func file(_ principal: Principal, fileId: String) async throws(ServiceError) -> UploadedFile {
        guard UploadIdentifier.isWellFormed(fileId),
              let entry = try await storage({ try await store.storedFile(tenant: principal.tenant, fileId: fileId) }) else {
            throw ServiceError(.notFound, "no such file")
        }
        return entry.file
    }

    public func readFile(_ file: UploadedFile, range: ClosedRange<Int64>, _ body: (ByteBuffer) async throws -> Void) async throws {
        try await files.read(file: file.fileId, range: range, body)
    }

    public func resetTenant(_ tenant: String) async throws(ServiceError) {
        let (uploads, fileIds) = try await storage { try await store.resetUploads(tenant: tenant) }
        for uploadId in uploads { await removeBytes(ofUpload: uploadId) }
        for fileId in fileIds {
            do {
                try await files.removeFile(fileId)
            } catch {
                logger.error("could not delete a file of a reset tenant", metadata: ["file": "\(fileId)", "error": "\(error)"])
            }
        }
    }

    // MARK: - Shared steps

    static let expired = ServiceError(.uploadExpired, "the upload session expired; start a new upload")
    static let finalized = ServiceError(.uploadFinalized, "the upload session is already finalized")

    /// The session when it exists in the principal's tenant and belongs to its device (UPL-12).
    func session(_ principal: Principal, _ uploadId: String) async throws(ServiceError) -> UploadSessionEntry {
        let device = try Self.device(of: principal)
        guard UploadIdentifier.isWellFormed(uploadId),
              let session = try await storage({ try await store.uploadSession(tenant: principal.tenant, uploadId: uploadId) }),
              session.device == device else {
            throw ServiceError(.notFound, "no such upload session")
        }
        return session
    }

    /// Refuses a session past its `expires_at` in tenant time (UPL-9).
    func checkNotExpired(_ session: UploadSessionEntry) throws(ServiceError) {
        if session.state == .expired || clock.now(tenant: session.tenant) > session.expiresAt { throw Self.expired }
    }

    /// The refusal for a session found closed while working on it.
    func closedSessionError(_ principal: Principal, _ uploadId: String) async -> ServiceError {
        do {
            let session = try await session(principal, uploadId)
            return session.state == .finalized ? Self.finalized : Self.expired
        } catch {
            return error
        }
    }

    static func device(of principal: Principal) throws(ServiceError) -> String {
        guard let device = principal.device else {
            throw ServiceError(.forbidden, "uploads need a device token (device_id claim)")
        }
        return device
    }

    /// Deletes a session's chunk folder; a failure is logged (the startup sweep retries it).
    func removeBytes(ofUpload uploadId: String) async {
        do {
            try await files.removeUpload(uploadId)
        } catch {
            logger.error("could not delete upload chunks", metadata: ["upload": "\(uploadId)", "error": "\(error)"])
        }
    }

    func emit(_ kind: UploadEvent.Kind, _ session: UploadSessionEntry, fileId: String? = nil) async {
        guard let onEvent else { return }
        let event = UploadEvent(kind: kind, uploadId: session.uploadId, device: session.device, size: session.size, fileId: fileId,
                                at: clock.now(tenant: session.tenant))
        await onEvent(session.tenant, event)
    }

    /// Runs a metadata call, turning storage failures into `internal_error`.
    func storage<T: Sendable>(_ body: () async throws -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch let error as ServiceError {
            throw error
        } catch {
            logger.error("upload metadata operation failed", metadata: ["error": "\(error)"])
            throw ServiceError(.internalError, "the server could not complete the request; retry later")
        }
    }
}

extension UploadSessionEntry {
    /// The wire form with the given stored chunks; a finalized session reports every chunk received.
    func wire(chunks: [UploadChunkEntry]) -> UploadSession {
        let layout = layout
        let received = state == .finalized ? Array(0..<layout.chunkCount) : chunks.map(\.index).sorted()
        let missing = layout.missing(from: Set(received))
        let bytes = state == .finalized ? size : chunks.reduce(0) { $0 + $1.size }
        return UploadSession(
            uploadId: uploadId, name: name, size: size, contentType: contentType, sha256: sha256, chunkSize: chunkSize,
            chunkCount: layout.chunkCount, receivedChunks: received, missingChunks: missing,
            receivedRanges: ChunkLayout.ranges(received), missingRanges: ChunkLayout.ranges(missing),
            bytesStored: bytes, state: state, createdAt: createdAt, expiresAt: expiresAt, fileId: fileId)
    }
}
