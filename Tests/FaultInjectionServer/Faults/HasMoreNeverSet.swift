import SyncProtocol
import SyncServer

/// `has-more-never-set` breaks PULL-3 (paging): a full page says `has_more: false`, so a client
/// that trusts it stops pulling with changes still waiting.
struct HasMoreNeverSet: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { HasMoreNeverSet(base: $0) })

    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        var page = try await base.pull(principal, cursor: cursor, limit: limit, collections: collections)
        page.hasMore = false
        return page
    }
}
