import SyncProtocol

/// What a group transaction knows and has written so far, held in memory until the group
/// flushes it in bulk. A value, so that a unit's changes are undone by restoring the copy taken
/// before it ran.
struct StagedState: Sendable {
    /// Records read or written, `nil` for one known not to exist.
    var records: [StoredRecordKey: StoredRecord?] = [:]
    var devices: [StoredDeviceKey: DeviceState] = [:]
    /// Idempotency entries read or written, `nil` for one known not to exist.
    var idempotency: [StoredIdempotencyKey: IdempotencyEntry?] = [:]
    var results: [ResultKey: MutationResult] = [:]
    var reviews: [ReviewKey: ReviewItem] = [:]
    /// Each tenant's highest change-log position, once read or appended.
    var latest: [String: Int64] = [:]
    /// Positions reserved for this group and not handed out yet, lowest first.
    var reserved: ArraySlice<Int64> = []

    /// What to write, in the order it was first written (a key written twice is written once,
    /// with its last value).
    var recordWrites = OrderedKeys<StoredRecordKey>()
    var deviceWrites = OrderedKeys<StoredDeviceKey>()
    var idempotencyWrites = OrderedKeys<StoredIdempotencyKey>()
    var resultWrites = OrderedKeys<ResultKey>()
    var reviewWrites = OrderedKeys<ReviewKey>()
    var changes: [ChangeEntry] = []
    var audits: [ConflictAuditEntry] = []

    /// A device's stored mutation outcome.
    struct ResultKey: Hashable, Sendable {
        var tenant: String
        var device: String
        var seq: Int64
    }

    /// A review item.
    struct ReviewKey: Hashable, Sendable {
        var tenant: String
        var id: String
    }

    /// Keys in the order they were first added, each once.
    struct OrderedKeys<Key: Hashable & Sendable>: Sendable {
        private(set) var keys: [Key] = []
        private var seen: Set<Key> = []

        mutating func add(_ key: Key) {
            if seen.insert(key).inserted { keys.append(key) }
        }
    }
}
