// Real-time delivery of committed changes to this node's sessions (RT-1), alone or beside other
// nodes on one database. Every function here runs holding the tenant's `sequencer` key, so the
// tenant's local commits and other nodes' commits reach the feed one batch at a time, in
// position order.
extension SyncEngine {
    /// Hands a local commit's changes to the feed; the session that pushed them gets its
    /// `push_result` instead. Beside other nodes, what they committed before it goes first.
    func deliver(tenant: String, _ changes: [ChangeEntry], originSession: String?) async {
        guard let first = changes.first?.position, let last = changes.last?.position else { return }
        if let peers {
            guard changeFeed.hasSubscribers(tenant: tenant) else {
                peers.forget(tenant)
                return
            }
            if let delivered = peers.last(tenant) {
                await publishLog(tenant: tenant, after: delivered, before: first, peers: peers)
            }
            peers.advance(tenant, to: last)
        }
        guard changeFeed.hasSubscribers(tenant: tenant, besides: originSession) else { return }
        changeFeed.publish(changes.map { ChangeNotice(tenant: tenant, change: wireChange($0), originSession: originSession) })
    }

    /// Hands what another node committed for `tenant` to the feed: the log after the last
    /// position delivered, or from `first` on when the node did not follow the tenant yet.
    /// Without a `first` (listening resumed), only tenants already followed are read.
    func deliverPeerCommit(tenant: String, first: Int64?) async {
        guard let peers else { return }
        guard changeFeed.hasSubscribers(tenant: tenant) else {
            peers.forget(tenant)
            return
        }
        guard let after = peers.last(tenant) ?? first.map({ $0 - 1 }) else { return }
        await publishLog(tenant: tenant, after: after, before: nil, peers: peers)
    }

    /// Publishes the tenant's changes after `after` (and before `before`) from the log, page by
    /// page. A failed read is logged and ends the catch-up: the changes stay in the log, and
    /// devices get them on their next pull.
    private func publishLog(tenant: String, after: Int64, before: Int64?, peers: PeerDelivery) async {
        let pageSize = 500
        var cursor = after
        while true {
            let page: [ChangeEntry]
            do {
                page = try await store.changes(tenant: tenant, after: cursor, limit: pageSize, collections: nil)
            } catch {
                logStorageFailure(error)
                return
            }
            let wanted = before.map { bound in page.filter { $0.position < bound } } ?? page
            changeFeed.publish(wanted.map { ChangeNotice(tenant: tenant, change: wireChange($0), originSession: nil) })
            if let last = wanted.last?.position {
                cursor = last
                peers.advance(tenant, to: last)
            }
            if wanted.count < pageSize { return }
        }
    }
}
