import SyncProtocol

/// Every `ClientStore` operation, written once over `StoreTransaction` so that both stores
/// share one semantics. Each function runs inside one transaction of the caller.
enum StoreLogic {}

extension StoreLogic {
    /// Saves a local write and its outbox entry with the next sequence number.
    ///
    /// The base version is the version the server will have reached once the record's earlier
    /// pending mutations are applied: the server-layer version when none is pending, one more
    /// for each pending mutation otherwise (each accepted change adds exactly one). So an
    /// `update` right after a pending `create` carries base 1 instead of a base 0 that the server
    /// refuses, and a chain of local edits does not conflict with itself.
    static func write(_ tx: inout some StoreTransaction, key: RecordKey, op: MutationOp, fields: JSONObject?, clientTime: Int64) throws -> OutboxEntry {
        try WriteValidation.checkKey(collection: key.collection, id: key.id)
        try WriteValidation.checkFields(op: op, fields: fields)
        try WriteValidation.checkClientTime(clientTime)
        let overlay = try overlay(&tx, key)
        let baseVersion: Int64
        switch op {
        case .create:
            if overlay.live { throw ClientStoreError(.recordExists, "\(key) already exists; update it instead") }
            baseVersion = 0
        case .update, .delete:
            guard overlay.live else { throw ClientStoreError(.recordNotFound, "\(key) does not exist on this device") }
            baseVersion = overlay.expectedVersion
            if op == .update, let fields {
                var merged = overlay.fields
                for (name, value) in fields { merged[name] = value }
                try WriteValidation.checkSize(merged, what: "the updated record")
            }
        }
        let seq = try tx.int64Meta(.nextSeq) ?? 1
        let mutation = Mutation(seq: seq, collection: key.collection, recordId: key.id, op: op, baseVersion: baseVersion,
                                fields: fields, clientTime: clientTime)
        let entry = OutboxEntry(mutation: mutation)
        try tx.appendOutbox(entry)
        try tx.setMeta(.nextSeq, String(seq + 1))
        return entry
    }

    static func overlay(_ tx: inout some StoreTransaction, _ key: RecordKey) throws -> RecordOverlay {
        let server = try tx.serverEntry(key)?.record
        let pending = try tx.outbox(for: key).map(\.mutation)
        return RecordOverlay(server: server, pending: pending)
    }
}
