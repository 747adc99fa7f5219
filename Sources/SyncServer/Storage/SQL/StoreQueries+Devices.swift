import SyncProtocol

// MARK: - Devices, mutation outcomes and idempotency

extension StoreQueries {
    static func deviceState(on connection: some SQLExecutor, tenant: String, device: String) async throws -> DeviceState {
        let rows = try await connection.rows("SELECT last_seq, acked_position FROM devices WHERE tenant = ? AND device = ?",
                                             [.text(tenant), .text(device)], operation: "deviceState")
        guard let row = rows.first else { return DeviceState(lastSeq: 0, ackedPosition: nil) }
        let reader = StoreRowReader(row: row, operation: "deviceState")
        return DeviceState(lastSeq: try reader.int("last_seq"), ackedPosition: try reader.optionalInt("acked_position"))
    }

    static func setLastSeq(on connection: some SQLExecutor, tenant: String, device: String, seq: Int64) async throws {
        try await connection.run("INSERT INTO devices (tenant, device, last_seq, acked_position) VALUES (?, ?, ?, NULL) " + lastSeqUpsert,
                                 [.text(tenant), .text(device), .int64(seq)], operation: "setLastSeq")
    }

    /// A known device keeps its acknowledged position when its last sequence number is written.
    static let lastSeqUpsert = "ON CONFLICT (tenant, device) DO UPDATE SET last_seq = excluded.last_seq"

    /// Stores `position` as the device's acknowledged one: last write wins, even backwards (ACK-1).
    static func acknowledge(on connection: some SQLExecutor, tenant: String, device: String, position: Int64) async throws {
        try await connection.run("""
            INSERT INTO devices (tenant, device, last_seq, acked_position) VALUES (?, ?, 0, ?)
            ON CONFLICT (tenant, device) DO UPDATE SET acked_position = excluded.acked_position
            """, [.text(tenant), .text(device), .int64(position)], operation: "acknowledge")
    }

    static func mutationResult(on connection: some SQLExecutor, tenant: String, device: String, seq: Int64) async throws -> MutationResult? {
        let rows = try await connection.rows("SELECT result FROM mutation_results WHERE tenant = ? AND device = ? AND seq = ?",
                                             [.text(tenant), .text(device), .int64(seq)], operation: "mutationResult")
        return try rows.first.map { try StoreRowReader(row: $0, operation: "mutationResult").json(MutationResult.self, "result") }
    }

    static func saveMutationResult(on connection: some SQLExecutor, tenant: String, device: String, result: MutationResult) async throws {
        try await connection.run("INSERT INTO mutation_results (tenant, device, seq, result) VALUES (?, ?, ?, ?) " + mutationResultUpsert,
                                 [.text(tenant), .text(device), .int64(result.seq), StoreJSON.text(result)], operation: "saveMutationResult")
    }

    static let mutationResultUpsert = "ON CONFLICT (tenant, device, seq) DO UPDATE SET result = excluded.result"

    static func idempotency(on connection: some SQLExecutor, tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        let rows = try await connection.rows("""
            SELECT key, payload_hash, result, created_at FROM idempotency WHERE tenant = ? AND device = ? AND key = ?
            """, [.text(tenant), .text(device), .text(key)], operation: "idempotency")
        return try rows.first.map { try idempotencyEntry(StoreRowReader(row: $0, operation: "idempotency")) }
    }

    /// An entry from a row with key, payload_hash, result and created_at.
    static func idempotencyEntry(_ reader: StoreRowReader) throws -> IdempotencyEntry {
        IdempotencyEntry(key: try reader.text("key"), payloadHash: try reader.text("payload_hash"),
                         result: try reader.json(PushResult.self, "result"), createdAt: try reader.int("created_at"))
    }

    static func saveIdempotency(on connection: some SQLExecutor, tenant: String, device: String, _ entry: IdempotencyEntry) async throws {
        try await connection.run("INSERT INTO idempotency (tenant, device, key, payload_hash, result, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                                 + idempotencyUpsert, [.text(tenant), .text(device)] + idempotencyBinds(entry), operation: "saveIdempotency")
    }

    /// The binds of an entry's row after tenant and device: key, payload_hash, result, created_at.
    static func idempotencyBinds(_ entry: IdempotencyEntry) -> [SQLValue] {
        [.text(entry.key), .text(entry.payloadHash), StoreJSON.text(entry.result), .int64(entry.createdAt)]
    }

    /// An expired entry with the same key is replaced.
    static let idempotencyUpsert = """
        ON CONFLICT (tenant, device, key) DO UPDATE SET
            payload_hash = excluded.payload_hash, result = excluded.result, created_at = excluded.created_at
        """

    /// Deletes entries older than `cutoff` and returns how many; the caller holds a transaction,
    /// so the count and the delete see the same rows.
    static func purgeIdempotency(on connection: some SQLExecutor, before cutoff: Int64) async throws -> Int {
        let count = try await connection.value("SELECT COUNT(*) AS count FROM idempotency WHERE created_at < ?",
                                               [.int64(cutoff)], column: "count", operation: "purgeIdempotency")
        try await connection.run("DELETE FROM idempotency WHERE created_at < ?", [.int64(cutoff)], operation: "purgeIdempotency")
        return count?.integer.map { Int($0) } ?? 0
    }
}
