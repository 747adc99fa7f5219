import SyncProtocol

// MARK: - Conflict audit, review queue and policies

extension StoreQueries {
    static func appendAudit(on connection: some SQLExecutor, _ entry: ConflictAuditEntry) async throws {
        try await connection.run("""
            INSERT INTO conflict_audit (tenant, collection, record_id, device, seq, strategy, base_version, server_version,
                                        outcome, winner, mutation, created_at, server_record, resulting_version, review_id,
                                        operator, choice)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(entry.tenant), .text(entry.collection), .text(entry.recordId), .optional(entry.device),
                .optional(entry.seq), .text(entry.strategy.rawValue), .int64(entry.baseVersion), .int64(entry.serverVersion),
                .text(entry.outcome.rawValue), StoreJSON.text(entry.winner), StoreJSON.optionalText(entry.mutation),
                .int64(entry.createdAt), StoreJSON.optionalText(entry.serverRecord), .optional(entry.resultingVersion), .optional(entry.reviewId), .optional(entry.operator),
                .optional(entry.choice?.rawValue),
            ], operation: "appendAudit")
    }

    /// Entries after `afterId` in id order; ids come from `AUTOINCREMENT`, so they only grow.
    static func auditLog(on connection: some SQLExecutor, tenant: String, collection: String?, recordId: String?,
                         after afterId: Int64, limit: Int) async throws -> [StoredAuditEntry] {
        guard limit > 0 else { return [] }
        var sql = """
            SELECT id, tenant, collection, record_id, device, seq, strategy, base_version, server_version, outcome, winner,
                   mutation, created_at, server_record, resulting_version, review_id, operator, choice
            FROM conflict_audit WHERE tenant = ? AND id > ?
            """
        var binds: [SQLValue] = [.text(tenant), .int64(afterId)]
        if let collection {
            sql += " AND collection = ?"
            binds.append(.text(collection))
        }
        if let recordId {
            sql += " AND record_id = ?"
            binds.append(.text(recordId))
        }
        sql += " ORDER BY id LIMIT ?"
        binds.append(.int(limit))
        return try await connection.rows(sql, binds, operation: "auditLog").map { row in
            let reader = StoreRowReader(row: row, operation: "auditLog")
            let entry = ConflictAuditEntry(
                tenant: try reader.text("tenant"), collection: try reader.text("collection"),
                recordId: try reader.text("record_id"), device: try reader.optionalText("device"),
                seq: try reader.optionalInt("seq"), strategy: try reader.value(ConflictStrategy.self, "strategy"),
                baseVersion: try reader.int("base_version"), serverVersion: try reader.int("server_version"),
                outcome: try reader.value(MutationStatus.self, "outcome"), winner: try reader.json(Record.self, "winner"),
                mutation: try reader.optionalJSON(Mutation.self, "mutation"), createdAt: try reader.int("created_at"),
                serverRecord: try reader.optionalJSON(Record.self, "server_record"), resultingVersion: try reader.optionalInt("resulting_version"), reviewId: try reader.optionalText("review_id"),
                operator: try reader.optionalText("operator"), choice: try reader.optionalValue(ReviewResolutionChoice.self, "choice"))
            return StoredAuditEntry(id: try reader.int("id"), entry: entry)
        }
    }

    static func review(on connection: some SQLExecutor, tenant: String, id: String) async throws -> ReviewItem? {
        let rows = try await connection.rows("SELECT item FROM reviews WHERE tenant = ? AND id = ?",
                                             [.text(tenant), .text(id)], operation: "review")
        return try rows.first.map { try StoreRowReader(row: $0, operation: "review").json(ReviewItem.self, "item") }
    }

    /// Inserts an item, or replaces it in place: a replaced item keeps its place in creation order.
    static func saveReview(on connection: some SQLExecutor, tenant: String, _ review: ReviewItem) async throws {
        try await connection.run("""
            INSERT INTO reviews (tenant, id, collection, status, created_at, item) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, id) DO UPDATE SET
                collection = excluded.collection, status = excluded.status, created_at = excluded.created_at, item = excluded.item
            """, [
                .text(tenant), .text(review.reviewId), .text(review.collection), .text(review.status.rawValue), .int64(review.createdAt),
                StoreJSON.text(review),
            ], operation: "saveReview")
    }

    /// Items in creation order after `afterId`. An `afterId` unknown in the tenant (including
    /// another tenant's id) gives an empty page, as a cursor past the end would.
    static func reviews(on connection: some SQLExecutor, tenant: String, status: ReviewStatus?, collection: String?,
                        after afterId: String?, limit: Int) async throws -> [ReviewItem] {
        guard limit > 0 else { return [] }
        var sql = "SELECT item FROM reviews WHERE tenant = ?"
        var binds: [SQLValue] = [.text(tenant)]
        if let status {
            sql += " AND status = ?"
            binds.append(.text(status.rawValue))
        }
        if let collection {
            sql += " AND collection = ?"
            binds.append(.text(collection))
        }
        if let afterId {
            sql += " AND ordinal > (SELECT ordinal FROM reviews WHERE tenant = ? AND id = ?)"
            binds += [.text(tenant), .text(afterId)]
        }
        sql += " ORDER BY ordinal LIMIT ?"
        binds.append(.int(limit))
        return try await connection.rows(sql, binds, operation: "reviews").map {
            try StoreRowReader(row: $0, operation: "reviews").json(ReviewItem.self, "item")
        }
    }

    static func policies(on connection: some SQLExecutor, tenant: String) async throws -> TenantPolicies? {
        let rows = try await connection.rows("SELECT policies FROM policies WHERE tenant = ?", [.text(tenant)], operation: "policies")
        return try rows.first.map { try StoreRowReader(row: $0, operation: "policies").json(TenantPolicies.self, "policies") }
    }

    static func setPolicies(on connection: some SQLExecutor, tenant: String, _ policies: TenantPolicies) async throws {
        try await connection.run("""
            INSERT INTO policies (tenant, policies) VALUES (?, ?)
            ON CONFLICT (tenant) DO UPDATE SET policies = excluded.policies
            """, [.text(tenant), StoreJSON.text(policies)], operation: "setPolicies")
    }

    static func resetTenant(on connection: some SQLExecutor, tenant: String) async throws {
        for statement in StoreSchema.deleteTenant {
            try await connection.run(statement, [.text(tenant)], operation: "resetTenant")
        }
    }
}
