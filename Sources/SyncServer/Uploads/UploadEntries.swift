public import SyncProtocol

/// An upload session as stored: what the client declared at init plus its state.
public struct UploadSessionEntry: Sendable, Hashable {
    /// The tenant of the creating token.
    public var tenant: String
    /// Server-generated id (UPL-11).
    public var uploadId: String
    /// The device that created the session and alone may use it (UPL-12).
    public var device: String
    /// The sanitised file name.
    public var name: String
    /// The declared file size in bytes.
    public var size: Int64
    /// The declared media type.
    public var contentType: String
    /// The declared SHA-256 of the whole file, lowercase hex.
    public var sha256: String
    /// The size of every chunk but the last.
    public var chunkSize: Int64
    /// `open`, `finalized` or `expired` (cancelled sessions are deleted).
    public var state: UploadState
    /// Tenant time of init, ms.
    public var createdAt: Int64
    /// `createdAt` plus the expiry, ms (UPL-1, UPL-9).
    public var expiresAt: Int64
    /// The finalized file, once `state` is `finalized`.
    public var fileId: String?

    /// Creates an entry.
    public init(tenant: String, uploadId: String, device: String, name: String, size: Int64, contentType: String, sha256: String,
                chunkSize: Int64, state: UploadState, createdAt: Int64, expiresAt: Int64, fileId: String? = nil) {
        self.tenant = tenant
        self.uploadId = uploadId
        self.device = device
        self.name = name
        self.size = size
        self.contentType = contentType
        self.sha256 = sha256
        self.chunkSize = chunkSize
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.fileId = fileId
    }

    /// How the file splits into chunks.
    package var layout: ChunkLayout { ChunkLayout(size: size, chunkSize: chunkSize) }
}

/// One verified chunk on disk.
public struct UploadChunkEntry: Sendable, Hashable {
    /// The chunk index.
    public var index: Int64
    /// Its length in bytes.
    public var size: Int64
    /// Its SHA-256, lowercase hex.
    public var sha256: String
    /// The server-generated name of its file in the session's folder.
    public var blob: String

    /// Creates an entry.
    public init(index: Int64, size: Int64, sha256: String, blob: String) {
        self.index = index
        self.size = size
        self.sha256 = sha256
        self.blob = blob
    }
}

/// A finalized file in permanent storage.
public struct StoredFileEntry: Sendable, Hashable {
    /// The tenant that owns it.
    public var tenant: String
    /// The session it came from.
    public var uploadId: String
    /// The wire description (id, name, size, hash, media type, time of finalize).
    public var file: UploadedFile

    /// Creates an entry.
    public init(tenant: String, uploadId: String, file: UploadedFile) {
        self.tenant = tenant
        self.uploadId = uploadId
        self.file = file
    }
}

/// The outcome of creating a session, decided atomically with the counts it depends on.
public enum UploadCreation: Sendable, Hashable {
    /// The session was stored.
    case created
    /// The device already holds the maximum of open sessions.
    case tooManyUploads
    /// The storage quota cannot take the declared size.
    case storageFull
}

/// The outcome of recording a chunk.
public enum ChunkInsertion: Sendable, Hashable {
    /// This chunk is now stored.
    case stored
    /// A chunk with this index was stored first; it is kept.
    case existing(UploadChunkEntry)
    /// The session is not open any more (finalized, expired, cancelled or reset).
    case sessionClosed
}

/// What is referenced from the metadata, for removing orphaned data on disk.
public struct UploadStorageIndex: Sendable, Hashable {
    /// Ids of sessions that may have chunks (state `open`).
    public var openUploads: Set<String>
    /// Chunk files by session.
    public var chunkBlobs: [String: Set<String>]
    /// Ids of finalized files.
    public var files: Set<String>

    /// Creates an index.
    public init(openUploads: Set<String>, chunkBlobs: [String: Set<String>], files: Set<String>) {
        self.openUploads = openUploads
        self.chunkBlobs = chunkBlobs
        self.files = files
    }
}
