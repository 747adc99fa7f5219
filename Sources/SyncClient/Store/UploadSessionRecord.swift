/// A resumable upload the device started, kept across launches so it can resume.
public struct UploadSessionRecord: Sendable, Hashable {
    /// Where the upload stands on this device.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Not yet initialised on the server.
        case pending
        /// Initialised (`uploadId` set); chunks are going up.
        case uploading
        /// Finalized on the server.
        case finalized
        /// Given up (expired, refused); kept for the app to report.
        case failed
        /// Cancelled by the app.
        case cancelled
    }

    /// The device's own id for the upload (for example a UUID), known before the server's.
    public var localId: String
    /// Path of the local file being uploaded.
    public var filePath: String
    /// The server's upload id, once initialised.
    public var uploadId: String?
    /// Size of the file in bytes.
    public var size: Int64
    /// SHA-256 of the whole file, lowercase hex.
    public var sha256: String
    /// Chunk size the server assigned.
    public var chunkSize: Int64?
    /// Number of chunks the server expects.
    public var chunkCount: Int64?
    /// Where the upload stands.
    public var state: State

    /// Creates a record.
    public init(localId: String, filePath: String, uploadId: String? = nil, size: Int64, sha256: String,
                chunkSize: Int64? = nil, chunkCount: Int64? = nil, state: State = .pending) {
        self.localId = localId
        self.filePath = filePath
        self.uploadId = uploadId
        self.size = size
        self.sha256 = sha256
        self.chunkSize = chunkSize
        self.chunkCount = chunkCount
        self.state = state
    }
}
