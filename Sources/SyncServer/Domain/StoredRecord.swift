public import SyncProtocol

/// A record as the server stores it: the wire `Record` plus its tenant.
public struct StoredRecord: Sendable, Hashable {
    /// The owning tenant.
    public var tenant: String
    /// The collection.
    public var collection: String
    /// The record id, unique within tenant and collection.
    public var id: String
    /// The current fields (`{}` for a tombstone).
    public var fields: JSONObject
    /// Server version, +1 per accepted change; 0 means "never existed".
    public var version: Int64
    /// Per field, the record version that last changed it.
    public var fieldVersions: [String: Int64]
    /// Server time of the last change, milliseconds since the epoch.
    public var updatedAt: Int64
    /// The last writer's client timestamp (clamped), milliseconds since the epoch.
    public var clientTime: Int64
    /// Whether the record is deleted (a tombstone).
    public var deleted: Bool
    /// The device that wrote the current version; `nil` for operator or seeded writes.
    public var lastDevice: String?

    /// Creates a stored record.
    public init(tenant: String, collection: String, id: String, fields: JSONObject, version: Int64,
                fieldVersions: [String: Int64], updatedAt: Int64, clientTime: Int64, deleted: Bool, lastDevice: String?) {
        self.tenant = tenant
        self.collection = collection
        self.id = id
        self.fields = fields
        self.version = version
        self.fieldVersions = fieldVersions
        self.updatedAt = updatedAt
        self.clientTime = clientTime
        self.deleted = deleted
        self.lastDevice = lastDevice
    }

    /// The record as it goes on the wire.
    public var wire: Record {
        Record(collection: collection, id: id, fields: fields, version: version, fieldVersions: fieldVersions,
               updatedAt: updatedAt, clientTime: clientTime, deleted: deleted, lastDevice: lastDevice)
    }
}

extension MutationOp {
    /// The change-log operation of writing `new` over `previous`: the record's state transition
    /// (missing or tombstone to live is a create, live to live an update, to a tombstone a delete).
    public static func transition(from previous: StoredRecord?, to new: StoredRecord) -> MutationOp {
        if new.deleted { return .delete }
        return previous.map(\.deleted) ?? true ? .create : .update
    }
}
