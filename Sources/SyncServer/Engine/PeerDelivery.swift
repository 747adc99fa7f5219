import Synchronization

/// For a node sharing its database with other nodes: the highest change-log position of each
/// tenant that this node has handed to its change feed. Another node's commit is read from the
/// log after that position, and a local commit first publishes what the log holds between that
/// position and its own, so that sessions receive every change in position order. Tenants
/// without local sessions are forgotten, which keeps the table to the tenants this node serves.
final class PeerDelivery: Sendable {
    private let delivered = Mutex<[String: Int64]>([:])

    /// The last position handed to the feed for `tenant`, if the node is following it.
    func last(_ tenant: String) -> Int64? {
        delivered.withLock { $0[tenant] }
    }

    /// Records that the feed has everything of `tenant` up to `position`.
    func advance(_ tenant: String, to position: Int64) {
        delivered.withLock { $0[tenant] = max($0[tenant] ?? position, position) }
    }

    /// Stops following `tenant` (it has no session here).
    func forget(_ tenant: String) {
        _ = delivered.withLock { $0.removeValue(forKey: tenant) }
    }

    /// The tenants being followed.
    var tenants: [String] {
        delivered.withLock { Array($0.keys) }
    }
}
