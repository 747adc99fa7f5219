import SyncProtocol

// MARK: - Many rows per statement, for group transactions

extension StoreQueries {
    /// Binds in one statement at most: far below SQLite's 32,766 and PostgreSQL's 65,535, and
    /// small enough that one statement never holds much memory.
    static let bulkBindLimit = 4_000

    /// Runs `head VALUES (?, ...), (?, ...) tail` for `rows` of `width` binds each, in as many
    /// statements as the bind limit needs.
    static func insertRows(on connection: some SQLExecutor, _ head: String, width: Int, rows: [[SQLValue]], tail: String = "",
                           operation: String) async throws {
        for chunk in chunks(rows, width: width) {
            let sql = head + " VALUES " + tuples(chunk.count, width: width) + " " + tail
            try await connection.run(sql, chunk.flatMap { $0 }, operation: operation)
        }
    }

    /// Rows of `select WHERE (columns) IN (VALUES ...)` for `keys` of `width` binds each.
    static func selectRows(on connection: some SQLExecutor, _ select: String, columns: String, width: Int, keys: [[SQLValue]],
                           operation: String) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for chunk in chunks(keys, width: width) {
            let sql = select + " WHERE (" + columns + ") IN (VALUES " + tuples(chunk.count, width: width) + ")"
            rows += try await connection.rows(sql, chunk.flatMap { $0 }, operation: operation)
        }
        return rows
    }

    /// `rows` of `width` binds each, in slices that stay within the bind limit.
    static func chunks(_ rows: [[SQLValue]], width: Int) -> [ArraySlice<[SQLValue]>] {
        let size = max(1, bulkBindLimit / max(1, width))
        return stride(from: 0, to: rows.count, by: size).map { rows[$0..<min(rows.count, $0 + size)] }
    }

    private static func tuples(_ count: Int, width: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        return Array(repeating: tuple, count: count).joined(separator: ", ")
    }

    /// The stored records among `keys`.
    static func records(on connection: some SQLExecutor, _ keys: [StoredRecordKey]) async throws -> [StoredRecordKey: StoredRecord] {
        let rows = try await selectRows(on: connection, "SELECT \(recordColumns) FROM records", columns: "tenant, collection, id", width: 3,
                                        keys: Set(keys).map { [.text($0.tenant), .text($0.collection), .text($0.id)] }, operation: "records")
        var found: [StoredRecordKey: StoredRecord] = [:]
        for row in rows {
            let record = try storedRecord(row, operation: "records")
            found[StoredRecordKey(tenant: record.tenant, collection: record.collection, id: record.id)] = record
        }
        return found
    }

    /// The stored states among `keys` (a device the store does not know is not in the answer).
    static func deviceStates(on connection: some SQLExecutor, _ keys: [StoredDeviceKey]) async throws -> [StoredDeviceKey: DeviceState] {
        let rows = try await selectRows(on: connection, "SELECT tenant, device, last_seq, acked_position FROM devices", columns: "tenant, device",
                                        width: 2, keys: Set(keys).map { [.text($0.tenant), .text($0.device)] }, operation: "deviceStates")
        var found: [StoredDeviceKey: DeviceState] = [:]
        for row in rows {
            let reader = StoreRowReader(row: row, operation: "deviceStates")
            found[StoredDeviceKey(tenant: try reader.text("tenant"), device: try reader.text("device"))] =
                DeviceState(lastSeq: try reader.int("last_seq"), ackedPosition: try reader.optionalInt("acked_position"))
        }
        return found
    }

    /// The stored idempotency entries among `keys`, expired ones included.
    static func idempotencyEntries(on connection: some SQLExecutor, _ keys: [StoredIdempotencyKey]) async throws -> [StoredIdempotencyKey: IdempotencyEntry] {
        let rows = try await selectRows(on: connection, "SELECT tenant, device, key, payload_hash, result, created_at FROM idempotency",
                                        columns: "tenant, device, key", width: 3,
                                        keys: Set(keys).map { [.text($0.tenant), .text($0.device), .text($0.key)] }, operation: "idempotencyEntries")
        var found: [StoredIdempotencyKey: IdempotencyEntry] = [:]
        for row in rows {
            let reader = StoreRowReader(row: row, operation: "idempotencyEntries")
            let key = StoredIdempotencyKey(tenant: try reader.text("tenant"), device: try reader.text("device"), key: try reader.text("key"))
            found[key] = try idempotencyEntry(reader)
        }
        return found
    }

    /// Writes what a group's units wrote: records, then the change log, outcomes, devices,
    /// idempotency entries, reviews and audit entries.
    static func flush(_ state: StagedState, on connection: some SQLExecutor) async throws {
        try await insertRows(on: connection, "INSERT INTO records (\(recordColumns))", width: 10,
                             rows: state.recordWrites.keys.compactMap { (state.records[$0] ?? nil).map(recordBinds) }, tail: recordUpsert,
                             operation: "saveRecord")
        try await insertRows(on: connection, "INSERT INTO change_log (position, tenant, collection, record_id, op, record, origin_device)",
                             width: 7, rows: state.changes.map { change in
                                 [.int64(change.position)] + changeBinds(op: change.op, record: change.record, originDevice: change.originDevice)
                             }, operation: "appendChange")
        try await insertRows(on: connection, "INSERT INTO mutation_results (tenant, device, seq, result)", width: 4,
                             rows: state.resultWrites.keys.compactMap { key in
                                 state.results[key].map { [.text(key.tenant), .text(key.device), .int64(key.seq), StoreJSON.text($0)] }
                             }, tail: mutationResultUpsert, operation: "saveMutationResult")
        try await insertRows(on: connection, "INSERT INTO devices (tenant, device, last_seq, acked_position)", width: 4,
                             rows: state.deviceWrites.keys.compactMap { key in
                                 state.devices[key].map { [.text(key.tenant), .text(key.device), .int64($0.lastSeq), .null] }
                             }, tail: lastSeqUpsert, operation: "setLastSeq")
        try await insertRows(on: connection, "INSERT INTO idempotency (tenant, device, key, payload_hash, result, created_at)", width: 6,
                             rows: state.idempotencyWrites.keys.compactMap { key in
                                 (state.idempotency[key] ?? nil).map { [.text(key.tenant), .text(key.device)] + idempotencyBinds($0) }
                             }, tail: idempotencyUpsert, operation: "saveIdempotency")
        for key in state.reviewWrites.keys {
            if let review = state.reviews[key] { try await saveReview(on: connection, tenant: key.tenant, review) }
        }
        for entry in state.audits { try await appendAudit(on: connection, entry) }
    }
}
