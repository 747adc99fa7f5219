import SyncServer

/// `operator-role-not-checked` breaks AUTH-6 (device and operator permissions): the role check
/// asks whether the token has a `roles` claim rather than whether it holds `operator`, and every
/// token carries one, so a device token may change policies and resolve reviews instead of
/// being answered `forbidden`.
enum OperatorRoleNotChecked {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapAuthenticator: { authenticate in
        { token throws(ServiceError) in
            var principal = try await authenticate(token)
            principal.roles.insert("operator")
            return principal
        }
    })
}
