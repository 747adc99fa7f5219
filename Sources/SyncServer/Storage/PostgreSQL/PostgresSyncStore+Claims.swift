// Idempotency keys in flight across nodes (IDEM-6): a batch's key is claimed with a
// transaction-level advisory lock for as long as the batch's write transaction lasts.
extension PostgresSyncStore {
    /// The advisory lock's key text of an idempotency key; `hashtextextended` makes it the 64-bit
    /// key. Lengths in front keep any two (tenant, device, key) triples apart; the prefix keeps
    /// them apart from the tenants' locks (`Lock.keys`).
    static func claimText(_ key: StoredIdempotencyKey) -> String {
        "idempotency:\(key.tenant.utf8.count):\(key.tenant)\(key.device.utf8.count):\(key.device)\(key.key)"
    }

    /// Tries every key's lock without waiting, in one statement per slice of the bind limit, and
    /// returns the keys whose lock another transaction holds: their batches are being committed by
    /// another process right now. The locks taken stay until this transaction ends, so another
    /// process asking meanwhile finds these keys in flight. Two keys whose texts share a hash
    /// only look in flight to each other (retryable) while both are.
    static func claim(_ keys: [StoredIdempotencyKey], on connection: PostgresExecutor) async throws -> Set<StoredIdempotencyKey> {
        var byText: [String: StoredIdempotencyKey] = [:]
        for key in keys { byText[claimText(key)] = key }
        var held: Set<StoredIdempotencyKey> = []
        for chunk in StoreQueries.chunks(byText.keys.sorted().map { [SQLValue.text($0)] }, width: 1) {
            let values = Array(repeating: "(?)", count: chunk.count).joined(separator: ", ")
            let rows = try await connection.rows("SELECT v.t FROM (VALUES " + values + ") AS v(t) WHERE NOT pg_try_advisory_xact_lock(hashtextextended(v.t, 0))",
                                                 chunk.flatMap { $0 }, operation: "claim")
            for row in rows {
                if let text = row.column("t")?.string, let key = byText[text] { held.insert(key) }
            }
        }
        return held
    }
}
