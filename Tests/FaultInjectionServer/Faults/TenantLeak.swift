import SyncServer

/// `tenant-leak` breaks TEN-1 (everything is scoped to the token's tenant): the token's
/// `tenant_id` is dropped and every principal lands in one shared tenant, as in a server built
/// for a single customer and later deployed for several. Records, cursors and real-time changes
/// of one tenant reach every other.
enum TenantLeak {
    /// The tenant every request is served in.
    static let sharedTenant = "shared"

    /// The server with this fault.
    static let customization = ServerCustomization(wrapAuthenticator: { authenticate in
        { token throws(ServiceError) in
            var principal = try await authenticate(token)
            principal.tenant = sharedTenant
            return principal
        }
    })
}
