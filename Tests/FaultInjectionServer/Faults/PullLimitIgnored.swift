import SyncProtocol
import SyncServer

/// `pull-limit-ignored` breaks PULL-3 (paging): the client's `limit` is dropped on its way to
/// the engine, so every page has the default size (100) whatever the client asked for.
struct PullLimitIgnored: SyncServiceDecorator {
    let base: any SyncService

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { PullLimitIgnored(base: $0) })

    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        try await base.pull(principal, cursor: cursor, limit: nil, collections: collections)
    }
}
