import SyncProtocol

/// The store's SQL, shared by the SQLite and PostgreSQL stores: one function per operation, each
/// run on a connection the caller holds (inside a transaction, or for a read). Every value is
/// bound; every query names the tenant. The SQL is the subset both engines read the same way:
/// `?` placeholders, `INSERT ... ON CONFLICT` upserts with qualified columns, `RETURNING`, sums
/// cast to BIGINT (PostgreSQL would make them NUMERIC), no boolean arithmetic.
enum StoreQueries {}

// MARK: - Records and the change log

extension StoreQueries {
    static func record(on connection: some SQLExecutor, tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        let rows = try await connection.rows("SELECT \(recordColumns) FROM records WHERE tenant = ? AND collection = ? AND id = ?",
                                             [.text(tenant), .text(collection), .text(id)], operation: "record")
        return try rows.first.map { try storedRecord($0, operation: "record") }
    }

    /// The columns `storedRecord` reads.
    static let recordColumns = "tenant, collection, id, fields, version, field_versions, updated_at, client_time, deleted, last_device"

    /// A record from a row of `recordColumns`.
    static func storedRecord(_ row: SQLRow, operation: String) throws -> StoredRecord {
        let reader = StoreRowReader(row: row, operation: operation)
        return StoredRecord(
            tenant: try reader.text("tenant"),
            collection: try reader.text("collection"),
            id: try reader.text("id"),
            fields: try reader.json(JSONObject.self, "fields"),
            version: try reader.int("version"),
            fieldVersions: try reader.json([String: Int64].self, "field_versions"),
            updatedAt: try reader.int("updated_at"),
            clientTime: try reader.int("client_time"),
            deleted: try reader.bool("deleted"),
            lastDevice: try reader.optionalText("last_device"))
    }

    /// The binds of a record's row, in `recordColumns` order.
    static func recordBinds(_ record: StoredRecord) -> [SQLValue] {
        [
            .text(record.tenant), .text(record.collection), .text(record.id), StoreJSON.text(record.fields),
            .int64(record.version), StoreJSON.text(record.fieldVersions), .int64(record.updatedAt),
            .int64(record.clientTime), .flag(record.deleted), .optional(record.lastDevice),
        ]
    }

    /// Replaces every column but the key when a record is written again.
    static let recordUpsert = """
        ON CONFLICT (tenant, collection, id) DO UPDATE SET
            fields = excluded.fields, version = excluded.version, field_versions = excluded.field_versions,
            updated_at = excluded.updated_at, client_time = excluded.client_time, deleted = excluded.deleted,
            last_device = excluded.last_device
        """

    static func saveRecord(on connection: some SQLExecutor, _ record: StoredRecord) async throws {
        try await connection.run("INSERT INTO records (\(recordColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " + recordUpsert,
                                 recordBinds(record), operation: "saveRecord")
    }

    static func appendChange(on connection: some SQLExecutor, op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
        let position = try await connection.value("""
            INSERT INTO change_log (tenant, collection, record_id, op, record, origin_device)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING position
            """, changeBinds(op: op, record: record, originDevice: originDevice), column: "position", operation: "appendChange")
        guard case .integer(let value) = position else {
            throw StoreError(.database, operation: "appendChange", engineReason: "no position returned")
        }
        return Int64(value)
    }

    /// The binds of a change's row after its position: tenant, collection, record_id, op, record,
    /// origin_device.
    static func changeBinds(op: MutationOp, record: StoredRecord, originDevice: String?) -> [SQLValue] {
        [.text(record.tenant), .text(record.collection), .text(record.id), .text(op.rawValue), StoreJSON.text(record.wire), .optional(originDevice)]
    }

    static func changes(on connection: some SQLExecutor, tenant: String, after position: Int64, limit: Int,
                        collections: Set<String>?) async throws -> [ChangeEntry] {
        guard limit > 0, collections?.isEmpty != true else { return [] }
        var sql = "SELECT position, tenant, op, record, origin_device FROM change_log WHERE tenant = ? AND position > ?"
        var binds: [SQLValue] = [.text(tenant), .int64(position)]
        if let collections {
            // One placeholder per collection; the names themselves are bound.
            sql += " AND collection IN (" + Array(repeating: "?", count: collections.count).joined(separator: ", ") + ")"
            binds += collections.sorted().map(SQLValue.text)
        }
        sql += " ORDER BY position LIMIT ?"
        binds.append(.int(limit))
        return try await connection.rows(sql, binds, operation: "changes").map { row in
            let reader = StoreRowReader(row: row, operation: "changes")
            return ChangeEntry(
                position: try reader.int("position"),
                op: try reader.value(MutationOp.self, "op"),
                record: StoredRecord(tenant: try reader.text("tenant"), wire: try reader.json(Record.self, "record")),
                originDevice: try reader.optionalText("origin_device"))
        }
    }

    static func latestPosition(on connection: some SQLExecutor, tenant: String) async throws -> Int64 {
        let value = try await connection.value("SELECT MAX(position) AS position FROM change_log WHERE tenant = ?",
                                               [.text(tenant)], column: "position", operation: "latestPosition")
        guard case .integer(let position) = value else { return 0 }
        return Int64(position)
    }
}

extension StoredRecord {
    /// A wire record of `tenant`, as the change log keeps it.
    init(tenant: String, wire: Record) {
        self.init(tenant: tenant, collection: wire.collection, id: wire.id, fields: wire.fields, version: wire.version,
                  fieldVersions: wire.fieldVersions, updatedAt: wire.updatedAt, clientTime: wire.clientTime,
                  deleted: wire.deleted, lastDevice: wire.lastDevice)
    }
}
