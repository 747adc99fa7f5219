import SyncProtocol

extension StoreLogic {
    /// Applies server changes in order to the server layer only, then stores the cursor. A change
    /// no newer than the stored state (delivered twice, or the echo of this device's own write)
    /// changes nothing; pending local mutations are never touched.
    static func applyChanges(_ tx: inout some StoreTransaction, _ changes: [Change], cursor: String) throws -> [RecordKey] {
        try checkCursor(cursor)
        var applied: [RecordKey] = []
        for change in changes {
            let record = change.record
            let key = RecordKey(collection: record.collection, id: record.id)
            var visible = true
            if let stored = try tx.serverEntry(key) {
                let newer = record.version > stored.record.version
                let replacesEstimate = record.version == stored.record.version && stored.provisional
                guard newer || replacesEstimate else { continue }
                // The server's copy of a state this device derived from its own settled write:
                // stored for its metadata, but no news unless the content differs.
                visible = newer || stored.record.fields != record.fields || stored.record.deleted != record.deleted
            }
            try tx.saveServerEntry(ServerLayerEntry(record: record, provisional: false))
            if visible { applied.append(key) }
        }
        try tx.setMeta(.storedCursor, cursor)
        return applied
    }

    static func markAcknowledged(_ tx: inout some StoreTransaction, cursor: String) throws {
        try checkCursor(cursor)
        try tx.setMeta(.acknowledgedCursor, cursor)
    }

    /// Forgets the server layer and both cursors, for a full resync from the beginning; the
    /// outbox, the in-flight batch and the sequence numbers are kept.
    static func resetServerLayer(_ tx: inout some StoreTransaction) throws {
        try tx.deleteServerLayer()
        try tx.setMeta(.storedCursor, nil)
        try tx.setMeta(.acknowledgedCursor, nil)
    }

    static func cursors(_ tx: inout some StoreTransaction) throws -> DownSyncCursors {
        DownSyncCursors(stored: try tx.meta(.storedCursor), acknowledged: try tx.meta(.acknowledgedCursor))
    }

    private static func checkCursor(_ cursor: String) throws {
        let length = cursor.unicodeScalars.count
        guard length > 0, Int64(length) <= Limits.maxCursorLength else {
            throw ClientStoreError(.invalidValue, "a cursor is 1 to \(Limits.maxCursorLength) characters")
        }
    }
}
