public import SyncProtocol

/// A record as the app sees it: the server's last confirmed state with the device's pending
/// mutations applied on top, in sequence order.
public struct LocalRecord: Sendable, Hashable {
    /// The record's key.
    public var key: RecordKey
    /// The visible fields.
    public var fields: JSONObject
    /// The version of the server state the view is built on; 0 when the server never confirmed
    /// the record (created on this device and still pending).
    public var serverVersion: Int64
    /// How many pending mutations are applied on top of the server state.
    public var pendingMutations: Int
    /// The server's last confirmed state, when there is one.
    public var serverRecord: Record?

    /// Creates a visible record.
    public init(key: RecordKey, fields: JSONObject, serverVersion: Int64, pendingMutations: Int, serverRecord: Record?) {
        self.key = key
        self.fields = fields
        self.serverVersion = serverVersion
        self.pendingMutations = pendingMutations
        self.serverRecord = serverRecord
    }

    /// Whether some local change is not confirmed by the server yet.
    public var hasPendingChanges: Bool { pendingMutations > 0 }
}

/// The visible state of one key computed from its two layers. `expectedVersion` is the version
/// the server will have once every pending mutation is applied without conflict: the base
/// version of the next local `update` or `delete` (see `ClientStore.write`).
struct RecordOverlay {
    var live: Bool
    var fields: JSONObject
    var expectedVersion: Int64
    var server: Record?
    var pending: Int

    init(server: Record?, pending: [Mutation]) {
        self.server = server
        live = server.map { !$0.deleted } ?? false
        fields = live ? server?.fields ?? [:] : [:]
        expectedVersion = server?.version ?? 0
        self.pending = pending.count
        for mutation in pending { apply(mutation) }
    }

    private mutating func apply(_ mutation: Mutation) {
        expectedVersion += 1
        switch mutation.op {
        case .create:
            live = true
            fields = mutation.fields ?? [:]
        case .update:
            // An update of a record that is not live (its create was rejected) changes nothing
            // visible; the server will reject it too.
            guard live else { return }
            for (name, value) in mutation.fields ?? [:] { fields[name] = value }
        case .delete:
            live = false
            fields = [:]
        }
    }

    func localRecord(_ key: RecordKey) -> LocalRecord? {
        guard live else { return nil }
        return LocalRecord(key: key, fields: fields, serverVersion: server?.version ?? 0, pendingMutations: pending, serverRecord: server)
    }
}
