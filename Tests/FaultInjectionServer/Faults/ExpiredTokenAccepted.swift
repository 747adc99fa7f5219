import Foundation
import SyncServer

/// `expired-token-accepted` breaks AUTH-4 (token validity period): tokens are checked against a
/// clock read in seconds where milliseconds are expected, so `exp` always lies in the future and
/// an expired token is accepted instead of refused with `token_expired`. Side effects of the same
/// bug: a token with any `nbf` is refused as not valid yet, and the tenants' test clocks are
/// ignored for tokens.
enum ExpiredTokenAccepted {
    /// The server with this fault, verifying with the keys of `auth`.
    static func customization(auth: AuthConfiguration) async throws -> ServerCustomization {
        let verifier = try await auth.makeVerifier()
        return ServerCustomization(wrapAuthenticator: { _ in
            { token throws(ServiceError) in
                try await verifier.verify(token, now: { _ in Int64(Date().timeIntervalSince1970) })
            }
        })
    }
}
