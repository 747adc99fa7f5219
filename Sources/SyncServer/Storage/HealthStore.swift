public import SyncProtocol

/// Durable storage of device health and tenant analytics (HEALTH-1..5), part of every
/// `SyncStore`. Scoped by tenant like the rest of the store; `resetTenant` deletes it too.
public protocol HealthStore: Sendable {
    /// Stores `events` in one transaction, in order: per-device syncs and latest `hello`,
    /// per-tenant hourly counters and latency histograms. Each device's sync rows older than 24
    /// hours before its newest sync here are dropped, since health only looks back 24 hours.
    func recordActivity(_ events: [ActivityEvent]) async throws

    /// A device's health inputs with its syncs answered in `(since, until]`; `nil` when the
    /// device never pushed or sent `hello`.
    func deviceHealth(tenant: String, device: String, since: Int64, until: Int64) async throws -> DeviceHealthRecord?

    /// Devices of the tenant ordered by id, after `afterDevice` (exclusive), at most `limit`,
    /// each with its syncs answered in `(since, until]`.
    func deviceHealthList(tenant: String, after afterDevice: String?, limit: Int, since: Int64, until: Int64) async throws -> [DeviceHealthRecord]

    /// The tenant's hours with activity whose start lies in `[from, to)`, ascending.
    func hourlyStats(tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats]
}

/// What the store keeps about a device for its health (HEALTH-2).
public struct DeviceHealthRecord: Sendable, Hashable {
    /// The device id.
    public var device: String
    /// The user of the device's most recent push or `hello`.
    public var user: String
    /// When its most recent sync was answered; `nil` if it never pushed.
    public var lastSyncAt: Int64?
    /// What its most recent `hello` said; `nil` if it never sent one.
    public var client: ClientInfo?
    /// Syncs in the window asked for.
    public var syncs: Int64
    /// Failed syncs among them.
    public var failedSyncs: Int64

    /// Creates a record.
    public init(device: String, user: String, lastSyncAt: Int64?, client: ClientInfo?, syncs: Int64, failedSyncs: Int64) {
        self.device = device
        self.user = user
        self.lastSyncAt = lastSyncAt
        self.client = client
        self.syncs = syncs
        self.failedSyncs = failedSyncs
    }
}

/// The counters of one tenant hour (HEALTH-3), from which its snapshot is computed.
public struct HourlyStats: Sendable, Hashable {
    /// Start of the UTC hour, a multiple of 3600000.
    public var hourStart: Int64
    /// Syncs answered in the hour.
    public var syncs: Int64 = 0
    /// Failed syncs among them.
    public var failedSyncs: Int64 = 0
    /// Mutations processed (duplicates and replays excluded).
    public var mutations: Int64 = 0
    /// Conflicts among them.
    public var conflicts: Int64 = 0
    /// Upload sessions finalized.
    public var uploadsFinalized: Int64 = 0
    /// Upload sessions expired or cancelled.
    public var uploadsAbandoned: Int64 = 0
    /// How many syncs took each whole number of milliseconds (rounded up): an exact histogram
    /// with 1 ms buckets, so percentiles are exact.
    public var latencyCounts: [Int64: Int64] = [:]

    /// An hour without activity yet.
    public init(hourStart: Int64) {
        self.hourStart = hourStart
    }

    /// The start of the UTC hour holding `time`.
    public static func hourStart(of time: Int64) -> Int64 {
        let hour: Int64 = 3_600_000
        return time >= 0 ? time / hour * hour : (time - hour + 1) / hour * hour
    }

    /// Adds one event of this hour.
    public mutating func add(_ event: ActivityEvent) {
        switch event {
        case .sync(let sync):
            syncs += 1
            failedSyncs += sync.failed ? 1 : 0
            mutations += sync.mutations
            conflicts += sync.conflicts
            latencyCounts[sync.latencyMs, default: 0] += 1
        case .upload(let upload):
            switch upload.outcome {
            case .finalized: uploadsFinalized += 1
            case .abandoned: uploadsAbandoned += 1
            }
        case .hello:
            break
        }
    }
}
