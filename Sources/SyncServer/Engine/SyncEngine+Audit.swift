public import SyncProtocol

extension SyncEngine {
    public func auditLog(_ principal: Principal, collection: String?, recordId: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> AuditPage {
        try requireOperator(principal)
        let pageSize = limit ?? Limits.defaultListPage
        guard (1...Limits.maxListPage).contains(pageSize) else {
            throw ServiceError(.invalidMessage, "limit must be between 1 and \(Limits.maxListPage)",
                               issues: [WireIssue(path: "limit", message: "must be between 1 and \(Limits.maxListPage)")])
        }
        let tenant = principal.tenant
        let after = try cursor.map { cursor throws(ServiceError) in try AuditCursor.decode(cursor, tenant: tenant, cursors: cursors) } ?? 0
        let entries = try await storage {
            try await store.auditLog(tenant: tenant, collection: collection, recordId: recordId, after: after, limit: Int(pageSize) + 1)
        }
        let page = Array(entries.prefix(Int(pageSize)))
        let hasMore = entries.count > page.count
        return AuditPage(entries: page.map(\.wire), nextCursor: hasMore ? page.last.map { AuditCursor.encode($0.id, tenant: tenant, cursors: cursors) } : nil,
                         hasMore: hasMore)
    }
}

/// The opaque `listAuditLog` cursor: `a` and a sealed cursor of the last entry id of the page
/// (entry ids are shared by every tenant, like positions), so it is bound to the tenant (`invalid_cursor` elsewhere) and is never taken for a
/// pull cursor.
enum AuditCursor {
    static func encode(_ id: Int64, tenant: String, cursors: CursorCodec) -> String {
        "a" + cursors.encode(id, tenant: tenant)
    }

    static func decode(_ cursor: String, tenant: String, cursors: CursorCodec) throws(ServiceError) -> Int64 {
        guard cursor.hasPrefix("a") else {
            throw ServiceError(.invalidCursor, "the cursor was not issued by listAuditLog for this tenant")
        }
        return try cursors.decode(String(cursor.dropFirst()), tenant: tenant)
    }
}

extension StoredAuditEntry {
    /// The wire form of the entry (`AuditEntry`).
    var wire: AuditEntry {
        AuditEntry(auditId: id, collection: entry.collection, recordId: entry.recordId, deviceId: entry.device, seq: entry.seq,
                   strategy: entry.strategy, baseVersion: entry.baseVersion, serverVersion: entry.serverVersion,
                   serverRecord: entry.serverRecord, outcome: entry.outcome, resultingVersion: entry.resultingVersion, record: entry.winner, mutation: entry.mutation,
                   reviewId: entry.reviewId, operator: entry.operator, choice: entry.choice, createdAt: entry.createdAt)
    }
}
