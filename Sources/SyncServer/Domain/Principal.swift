/// Who a request comes from, as the verified token says.
public struct Principal: Sendable, Hashable {
    /// The tenant everything of this request is scoped to (claim `tenant_id`).
    public var tenant: String
    /// The user (claim `sub`).
    public var user: String
    /// The device (claim `device_id`); sync and upload calls need one.
    public var device: String?
    /// Roles (claim `roles`); `operator` may change policies and resolve reviews.
    public var roles: Set<String>
    /// When the token expires (claim `exp` plus the allowed leeway), ms since the epoch in the
    /// tenant's time; a WebSocket session ends then (AUTH-7). `nil` when unknown.
    public var expiresAt: Int64?

    /// Creates a principal.
    public init(tenant: String, user: String, device: String?, roles: Set<String> = [], expiresAt: Int64? = nil) {
        self.tenant = tenant
        self.user = user
        self.device = device
        self.roles = roles
        self.expiresAt = expiresAt
    }

    /// Whether the principal may administer the tenant (policies, reviews, analytics).
    public var isOperator: Bool { roles.contains("operator") }
}
