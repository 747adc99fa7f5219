public import SyncProtocol

/// One thing that happened to a tenant which health and analytics count (HEALTH-1..3): a sync
/// answered, a `hello` accepted, an upload session ended. Recorded in memory by the engine and
/// written to the store in batches (`ActivityRecorder`), in the order they happened.
public enum ActivityEvent: Sendable, Hashable {
    /// A push was answered (HEALTH-1).
    case sync(SyncActivity)
    /// A session was established with `hello`; its `client` becomes the device's latest.
    case hello(HelloActivity)
    /// An upload session ended.
    case upload(UploadActivity)

    /// The tenant the event belongs to.
    public var tenant: String {
        switch self {
        case .sync(let sync): sync.tenant
        case .hello(let hello): hello.tenant
        case .upload(let upload): upload.tenant
        }
    }
}

/// One sync (a push answered, HEALTH-1) of a device.
public struct SyncActivity: Sendable, Hashable {
    /// The tenant of the token.
    public var tenant: String
    /// The token's `device_id`.
    public var device: String
    /// The token's `sub`.
    public var user: String
    /// When it was answered, in the tenant's time (ms since the epoch).
    public var at: Int64
    /// Whether it was refused with an error or had `failed` > 0.
    public var failed: Bool
    /// Receipt to answer, whole milliseconds rounded up.
    public var latencyMs: Int64
    /// Mutations processed: results other than `duplicate` (0 for a refusal).
    public var mutations: Int64
    /// Processed mutations that conflicted (CONF-1).
    public var conflicts: Int64

    /// Creates a sync record.
    public init(tenant: String, device: String, user: String, at: Int64, failed: Bool, latencyMs: Int64, mutations: Int64, conflicts: Int64) {
        self.tenant = tenant
        self.device = device
        self.user = user
        self.at = at
        self.failed = failed
        self.latencyMs = latencyMs
        self.mutations = mutations
        self.conflicts = conflicts
    }
}

/// A `hello` the server accepted.
public struct HelloActivity: Sendable, Hashable {
    /// The tenant of the token.
    public var tenant: String
    /// The token's `device_id`.
    public var device: String
    /// The token's `sub`.
    public var user: String
    /// When it was accepted, in the tenant's time.
    public var at: Int64
    /// What the client reported about itself.
    public var client: ClientInfo

    /// Creates a hello record.
    public init(tenant: String, device: String, user: String, at: Int64, client: ClientInfo) {
        self.tenant = tenant
        self.device = device
        self.user = user
        self.at = at
        self.client = client
    }
}

/// How an upload session ended, for the abandonment rate (HEALTH-3).
public enum UploadOutcome: String, Sendable, Hashable, CaseIterable {
    /// The upload was finalized into a file.
    case finalized
    /// The session expired or was cancelled.
    case abandoned
}

/// An upload session that ended.
public struct UploadActivity: Sendable, Hashable {
    /// The tenant of the upload.
    public var tenant: String
    /// Finalized or abandoned.
    public var outcome: UploadOutcome
    /// When it ended, in the tenant's time.
    public var at: Int64

    /// Creates an upload record.
    public init(tenant: String, outcome: UploadOutcome, at: Int64) {
        self.tenant = tenant
        self.outcome = outcome
        self.at = at
    }
}
