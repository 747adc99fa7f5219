import SyncProtocol

extension StoreLogic {
    static func record(_ tx: inout some StoreTransaction, _ key: RecordKey) throws -> LocalRecord? {
        try overlay(&tx, key).localRecord(key)
    }

    /// The visible records of a collection, ordered by id: those the server confirmed and those
    /// that exist only in pending local writes.
    static func records(_ tx: inout some StoreTransaction, collection: String) throws -> [LocalRecord] {
        var ids = Set(try tx.serverRecords(collection: collection).map(\.id))
        ids.formUnion(try tx.outboxRecordIds(collection: collection))
        return try ids.sorted().compactMap { id in
            try record(&tx, RecordKey(collection: collection, id: id))
        }
    }
}
