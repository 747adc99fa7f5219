import SyncServer

/// `pull-skips-change` breaks PULL-2 (pull returns every change after the cursor): the store's
/// page loop starts at index 1, so the first change after the cursor is missing from every
/// non-empty page and, the cursor moving past it, is never delivered by pull.
struct PullSkipsChange: SyncStoreDecorator {
    let base: any SyncStore

    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { PullSkipsChange(base: $0) })

    func changes(tenant: String, after position: Int64, limit: Int, collections: Set<String>?) async throws -> [ChangeEntry] {
        Array(try await base.changes(tenant: tenant, after: position, limit: limit, collections: collections).dropFirst())
    }
}
