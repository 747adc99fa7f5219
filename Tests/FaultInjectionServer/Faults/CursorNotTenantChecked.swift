import SyncProtocol
import SyncServer

/// `cursor-not-tenant-checked` breaks TEN-2 and PULL-5 (another tenant's cursor gives
/// `invalid_cursor`): the server reads the position out of a cursor and never checks its tenant
/// tag, so a cursor of one tenant is accepted by another for pull and ack.
struct CursorNotTenantChecked: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { CursorNotTenantChecked(base: $0) })

    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        try await base.pull(principal, cursor: cursor.map { retagged($0, tenant: principal.tenant) }, limit: limit, collections: collections)
    }

    func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult {
        _ = try await base.acknowledge(principal, cursor: retagged(cursor, tenant: principal.tenant))
        return AckResult(cursor: cursor)
    }

    /// The cursor for the same position in `tenant`'s log, whoever's it was.
    func retagged(_ cursor: String, tenant: String) -> String {
        guard let engine = base as? SyncEngine, let position = engine.cursors.positionIgnoringTenant(cursor) else { return cursor }
        return engine.cursors.encode(position, tenant: tenant)
    }
}
