import Foundation
public import SyncProtocol

/// Decides what one mutation does to the stored record: validity checks (REC-7), conflict
/// detection (CONF-1), the tenant's strategy (CONF-3 to CONF-9) and the size limit (REC-8).
/// A pure function of its inputs, tested without storage or sockets.
public struct ConflictResolver: Sendable {
    /// The policy of the mutation's collection.
    public var policy: CollectionPolicy
    /// The tenant's current time (ms).
    public var now: Int64
    /// The writing device.
    public var device: String
    /// The largest canonical `fields` encoding in bytes.
    public var maxRecordBytes: Int64
    /// The server's clock skew allowance, ms.
    public var maxClockSkew: Int64

    /// Creates a resolver.
    public init(policy: CollectionPolicy, now: Int64, device: String,
                maxRecordBytes: Int64 = Limits.maxRecordBytes, maxClockSkew: Int64 = Limits.maxClockSkewMs) {
        self.policy = policy
        self.now = now
        self.device = device
        self.maxRecordBytes = maxRecordBytes
        self.maxClockSkew = maxClockSkew
    }

    /// The client time the server uses: never later than now plus the allowed skew (CONF-5).
    public func clamped(_ clientTime: Int64) -> Int64 {
        let skew = min(policy.maxClockSkewMs ?? maxClockSkew, maxClockSkew)
        return min(clientTime, now + skew)
    }

    /// Resolves `mutation` against `existing` (tombstones included; `nil` when it never existed).
    public func resolve(_ mutation: Mutation, tenant: String, existing: StoredRecord?) -> Resolution {
        if let rejection = invalidity(mutation, existing) { return rejected(rejection, existing) }
        let conflicts: Bool = switch mutation.op {
        case .create: existing.map { !$0.deleted } ?? false
        case .update, .delete: mutation.baseVersion != existing?.version
        }
        guard conflicts else {
            return write(clientChange(mutation, tenant: tenant, over: existing), existing, status: .applied, strategy: nil, conflicted: false)
        }
        // A conflicting update or delete always has a stored record (REC-7 refused the rest).
        guard let server = existing else { return rejected(ServiceError(.recordNotFound, "the record does not exist"), nil) }
        switch policy.strategy {
        case .clientWins:
            return write(clientChange(mutation, tenant: tenant, over: server), server, status: .conflictResolved, strategy: .clientWins, conflicted: true)
        case .serverWins:
            return kept(server, status: .conflictResolved, strategy: .serverWins)
        case .mostRecentWins:
            if clamped(mutation.clientTime) > server.clientTime {
                return write(clientChange(mutation, tenant: tenant, over: server), server, status: .conflictResolved, strategy: .mostRecentWins, conflicted: true)
            }
            return kept(server, status: .conflictResolved, strategy: .mostRecentWins)
        case .preserveEscalation:
            return merge(mutation, server)
        case .manual:
            return kept(server, status: .queuedForReview, strategy: .manual)
        }
    }

    /// REC-7: operations that cannot apply to the stored record, whatever the policy.
    private func invalidity(_ mutation: Mutation, _ existing: StoredRecord?) -> ServiceError? {
        let current = existing?.version ?? 0
        switch mutation.op {
        case .create:
            if mutation.baseVersion != 0 { return ServiceError(.invalidMutation, "a create must have base_version 0") }
            if mutation.fields == nil { return ServiceError(.invalidMutation, "a create must carry fields") }
        case .update:
            if mutation.baseVersion == 0 { return ServiceError(.invalidMutation, "an update must have a base_version above 0") }
            if mutation.fields?.isEmpty ?? true { return ServiceError(.invalidMutation, "an update must carry the fields it changes") }
        case .delete:
            if mutation.baseVersion == 0 { return ServiceError(.invalidMutation, "a delete must have a base_version above 0") }
            if mutation.fields != nil { return ServiceError(.invalidMutation, "a delete must not carry fields") }
        }
        if mutation.op != .create {
            guard let existing else { return ServiceError(.recordNotFound, "the record does not exist") }
            if existing.deleted && existing.version == mutation.baseVersion {
                return ServiceError(.recordNotFound, "the record is deleted")
            }
        }
        if mutation.baseVersion > current {
            return ServiceError(.invalidMutation, "base_version \(mutation.baseVersion) is later than the record's version \(current)")
        }
        return nil
    }

    /// The client's change applied over `base` (CONF-3): named fields overwrite, the rest stay;
    /// over a tombstone only the named fields remain; a delete makes a tombstone.
    private func clientChange(_ mutation: Mutation, tenant: String, over base: StoredRecord?) -> StoredRecord {
        let version = (base?.version ?? 0) + 1
        var record = StoredRecord(tenant: tenant, collection: mutation.collection, id: mutation.recordId, fields: [:], version: version,
                                  fieldVersions: [:], updatedAt: now, clientTime: clamped(mutation.clientTime), deleted: false, lastDevice: device)
        if mutation.op == .delete {
            record.deleted = true
            return record
        }
        if let base, !base.deleted {
            record.fields = base.fields
            record.fieldVersions = base.fieldVersions
        }
        for (name, value) in mutation.fields ?? [:] {
            record.fields[name] = value
            record.fieldVersions[name] = version
        }
        return record
    }

    /// CONF-7 and CONF-8: field-level merge that never de-escalates.
    private func merge(_ mutation: Mutation, _ server: StoredRecord) -> Resolution {
        guard mutation.op != .delete, !server.deleted, let fields = mutation.fields else {
            return kept(server, status: .conflictResolved, strategy: .preserveEscalation)
        }
        let version = server.version + 1
        var merged = server
        var tookClient = false
        for (name, clientValue) in fields {
            let serverChanged = (server.fieldVersions[name] ?? 0) > mutation.baseVersion
            let takeClient: Bool
            if !serverChanged {
                takeClient = true
            } else if let order = policy.escalation?[name], let serverValue = server.fields[name],
                      case .string(let clientText) = clientValue, case .string(let serverText) = serverValue,
                      let clientRank = order.firstIndex(of: clientText), let serverRank = order.firstIndex(of: serverText) {
                takeClient = clientRank > serverRank
            } else {
                takeClient = false
            }
            if takeClient {
                merged.fields[name] = clientValue
                merged.fieldVersions[name] = version
                tookClient = true
            }
        }
        guard tookClient else { return kept(server, status: .conflictResolved, strategy: .preserveEscalation) }
        merged.version = version
        merged.updatedAt = now
        merged.clientTime = clamped(mutation.clientTime)
        merged.lastDevice = device
        return write(merged, server, status: .merged, strategy: .preserveEscalation, conflicted: true)
    }

    private func write(_ record: StoredRecord, _ previous: StoredRecord?, status: MutationStatus, strategy: ConflictStrategy?, conflicted: Bool) -> Resolution {
        let size = CanonicalJSON.byteCount(.object(record.fields))
        if !record.deleted && Int64(size) > maxRecordBytes {
            var rejection = rejected(ServiceError(.recordTooLarge, "the resulting record would be \(size) bytes, more than \(maxRecordBytes)"), previous)
            rejection.conflicted = conflicted
            rejection.strategy = strategy
            return rejection
        }
        return Resolution(status: status, strategy: strategy, write: record, current: record, rejection: nil, conflicted: conflicted, previous: previous)
    }

    private func kept(_ server: StoredRecord, status: MutationStatus, strategy: ConflictStrategy) -> Resolution {
        Resolution(status: status, strategy: strategy, write: nil, current: server, rejection: nil, conflicted: true)
    }

    private func rejected(_ error: ServiceError, _ existing: StoredRecord?) -> Resolution {
        Resolution(status: .rejected, strategy: nil, write: nil, current: existing, rejection: error, conflicted: false)
    }
}
