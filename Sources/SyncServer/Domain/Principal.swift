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

    /// Creates a principal.
    public init(tenant: String, user: String, device: String?, roles: Set<String> = []) {
        self.tenant = tenant
        self.user = user
        self.device = device
        self.roles = roles
    }

    /// Whether the principal may administer the tenant (policies, reviews, analytics).
    public var isOperator: Bool { roles.contains("operator") }
}
