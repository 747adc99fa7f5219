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
        try await base.pull(principal, cursor: cursor.map { Self.retagged($0, tenant: principal.tenant) }, limit: limit, collections: collections)
    }

    func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult {
        _ = try await base.acknowledge(principal, cursor: Self.retagged(cursor, tenant: principal.tenant))
        return AckResult(cursor: cursor)
    }

    /// The cursor `c_<position>_<tag>` with the tag of `tenant`, whoever's it was.
    static func retagged(_ cursor: String, tenant: String) -> String {
        let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "c", let position = Int64(parts[1], radix: 16) else { return cursor }
        return CursorCodec.encode(position, tenant: tenant)
    }
}
