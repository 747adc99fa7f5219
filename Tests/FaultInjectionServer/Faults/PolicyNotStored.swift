import SyncProtocol
import SyncServer

/// `policy-not-stored` breaks POL-1 and POL-3 (a policy change takes effect at once): the
/// policy endpoints answer with the new policies, but the store never writes them, so conflicts
/// keep being resolved by the old strategy and a later read shows the old policies.
struct PolicyNotStored: SyncStoreDecorator {
    let base: any SyncStore

    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { PolicyNotStored(base: $0) })

    func setPolicies(tenant: String, _ policies: TenantPolicies) async throws {}
}
