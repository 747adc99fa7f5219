public import SyncProtocol

/// The upload limits and timings the upload layer works with.
public struct UploadConfiguration: Sendable, Hashable {
    /// Lifetime of a session from init, in seconds (UPL-1; at least the spec's 24 h).
    public var expirySeconds: Int64
    /// How often the cleanup service looks for expired sessions (at most an hour: UPL-10).
    public var cleanupInterval: Duration
    /// Bytes one tenant's open sessions (as declared) and finalized files may take together; `nil`
    /// for no quota. An init that would exceed it is refused with `storage_full`. Per tenant, so a
    /// tenant's answers do not depend on what other tenants store (conformance vectors rely on it).
    public var quotaBytes: Int64?
    /// Largest file accepted (`max_upload_bytes`).
    public var maxUploadBytes: Int64
    /// Most open sessions per device (`max_uploads_per_device`).
    public var maxUploadsPerDevice: Int
    /// How long expired sessions stay answerable as `upload_expired` after their chunks were
    /// deleted, before the session itself is forgotten (`not_found`, allowed by UPL-10).
    public var expiredRetentionSeconds: Int64

    /// The spec's values, a cleanup every 5 minutes and no quota, unless given.
    public init(expirySeconds: Int64 = Limits.uploadExpirySeconds, cleanupInterval: Duration = .seconds(300), quotaBytes: Int64? = nil,
                maxUploadBytes: Int64 = Limits.maxUploadBytes, maxUploadsPerDevice: Int = Int(Limits.maxUploadsPerDevice),
                expiredRetentionSeconds: Int64 = Limits.uploadExpirySeconds) {
        self.expirySeconds = expirySeconds
        self.cleanupInterval = cleanupInterval
        self.quotaBytes = quotaBytes
        self.maxUploadBytes = maxUploadBytes
        self.maxUploadsPerDevice = maxUploadsPerDevice
        self.expiredRetentionSeconds = expiredRetentionSeconds
    }
}

/// Something that happened to an upload, for analytics.
public struct UploadEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// The file was verified and stored.
        case finalized
        /// The client cancelled an open session.
        case cancelled
        /// An open session passed its expiry without finalize.
        case expired
    }

    /// What happened.
    public var kind: Kind
    /// The session.
    public var uploadId: String
    /// The device that created the session.
    public var device: String
    /// The declared file size in bytes.
    public var size: Int64
    /// The stored file, for `finalized`.
    public var fileId: String?
    /// Tenant time of the event, ms.
    public var at: Int64

    /// Creates an event.
    public init(kind: Kind, uploadId: String, device: String, size: Int64, fileId: String? = nil, at: Int64) {
        self.kind = kind
        self.uploadId = uploadId
        self.device = device
        self.size = size
        self.fileId = fileId
        self.at = at
    }
}

/// Receives upload events with their tenant: called after a finalize, a cancel and an expiry
/// (the analytics hook). It runs on the request's task, so keep it quick; it cannot fail.
public typealias UploadEventHandler = @Sendable (_ tenant: String, _ event: UploadEvent) async -> Void
