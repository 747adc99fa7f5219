import SyncProtocol
import SyncServer

/// `wrong-conflict-winner` breaks CONF-3 and CONF-4 (`client_wins`, `server_wins`): the store
/// reads stored strategies back with `server_wins` and `client_wins` swapped (a row decoder
/// with the two mapped the wrong way round), so a conflict under a stored `client_wins` policy
/// keeps the server's record and one under a stored `server_wins` policy takes the client's.
struct WrongConflictWinner: SyncStoreDecorator {
    let base: any SyncStore

    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { WrongConflictWinner(base: $0) })

    func policies(tenant: String) async throws -> TenantPolicies? {
        guard var policies = try await base.policies(tenant: tenant) else { return nil }
        policies.defaultStrategy = Self.swapped(policies.defaultStrategy)
        for (collection, policy) in policies.collections {
            policies.collections[collection]?.strategy = Self.swapped(policy.strategy)
        }
        return policies
    }

    private static func swapped(_ strategy: ConflictStrategy) -> ConflictStrategy {
        switch strategy {
        case .serverWins: .clientWins
        case .clientWins: .serverWins
        default: strategy
        }
    }
}
