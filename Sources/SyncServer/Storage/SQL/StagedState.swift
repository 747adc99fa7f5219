import SyncProtocol

/// What a group transaction knows and has written so far, held in memory until the group
/// flushes it in bulk. A unit's writes are undone from a journal of what they replaced
/// (`beginUnit`, `endUnit(keeping:)`), not by restoring a copy of the whole state: the first
/// write after such a copy copies every table again, which made a group quadratic in its units.
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
    /// How to undo the running unit's writes; `nil` between units.
    private var undo: Undo?

    /// What the running unit's writes replaced (`nil` for a key that was absent) and how long the
    /// lists it appends to were when it began.
    private struct Undo: Sendable {
        var records: [StoredRecordKey: StoredRecord??] = [:]
        var devices: [StoredDeviceKey: DeviceState?] = [:]
        var idempotency: [StoredIdempotencyKey: IdempotencyEntry??] = [:]
        var results: [ResultKey: MutationResult?] = [:]
        var reviews: [ReviewKey: ReviewItem?] = [:]
        var latest: [String: Int64?] = [:]
        var reserved: ArraySlice<Int64>
        var writes: [Int]
        var changes: Int
        var audits: Int
    }

    /// Starts journaling a unit's writes.
    mutating func beginUnit() {
        undo = Undo(reserved: reserved, writes: writeCounts, changes: changes.count, audits: audits.count)
    }

    /// Ends the running unit, undoing its writes unless `keeping` them.
    mutating func endUnit(keeping: Bool) {
        guard let undo else { return }
        self.undo = nil
        guard !keeping else { return }
        restore(\.records, undo.records)
        restore(\.devices, undo.devices)
        restore(\.idempotency, undo.idempotency)
        restore(\.results, undo.results)
        restore(\.reviews, undo.reviews)
        restore(\.latest, undo.latest)
        reserved = undo.reserved
        recordWrites.truncate(to: undo.writes[0])
        deviceWrites.truncate(to: undo.writes[1])
        idempotencyWrites.truncate(to: undo.writes[2])
        resultWrites.truncate(to: undo.writes[3])
        reviewWrites.truncate(to: undo.writes[4])
        changes.removeSubrange(undo.changes...)
        audits.removeSubrange(undo.audits...)
    }

    // Writes, each journaled while a unit runs.
    mutating func setRecord(_ key: StoredRecordKey, _ value: StoredRecord?) { set(\.records, \.records, key, value) }
    mutating func setDevice(_ key: StoredDeviceKey, _ value: DeviceState) { set(\.devices, \.devices, key, value) }
    mutating func setIdempotency(_ key: StoredIdempotencyKey, _ value: IdempotencyEntry?) { set(\.idempotency, \.idempotency, key, value) }
    mutating func setResult(_ key: ResultKey, _ value: MutationResult) { set(\.results, \.results, key, value) }
    mutating func setReview(_ key: ReviewKey, _ value: ReviewItem) { set(\.reviews, \.reviews, key, value) }
    mutating func setLatest(_ tenant: String, _ value: Int64) { set(\.latest, \.latest, tenant, value) }

    private mutating func set<Key: Hashable, Value>(_ table: WritableKeyPath<StagedState, [Key: Value]>,
                                                    _ journal: WritableKeyPath<Undo, [Key: Value?]>, _ key: Key, _ value: Value) {
        if undo != nil, undo![keyPath: journal].index(forKey: key) == nil {
            undo![keyPath: journal].updateValue(self[keyPath: table][key], forKey: key)
        }
        self[keyPath: table][key] = value
    }

    private var writeCounts: [Int] {
        [recordWrites.keys.count, deviceWrites.keys.count, idempotencyWrites.keys.count, resultWrites.keys.count, reviewWrites.keys.count]
    }

    private mutating func restore<Key: Hashable, Value>(_ table: WritableKeyPath<StagedState, [Key: Value]>, _ journal: [Key: Value?]) {
        for (key, value) in journal { self[keyPath: table][key] = value }
    }

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

        /// Forgets the keys added after the first `count`.
        mutating func truncate(to count: Int) {
            for key in keys[count...] { seen.remove(key) }
            keys.removeSubrange(count...)
        }
    }
}
