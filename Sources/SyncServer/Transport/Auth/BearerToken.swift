import Foundation
import Hummingbird
import SyncProtocol

/// Where a request's JWT comes from (AUTH-1, AUTH-2) and what a request needs of its principal
/// (AUTH-6).
enum BearerToken {
    /// The token of `Authorization: Bearer <token>`, `nil` when there is no `Authorization` header;
    /// a header with another scheme or no token is `unauthorized`.
    static func fromHeader(_ headers: HTTPFields) throws(ServiceError) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ServiceError(.unauthorized, "the Authorization header must carry a Bearer token")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw ServiceError(.unauthorized, "the Bearer token is empty") }
        return token
    }

    /// A REST request's token: only the header counts, a `token` query parameter never does (AUTH-2).
    static func forREST(_ request: Request) throws(ServiceError) -> String {
        guard let token = try fromHeader(request.headers) else {
            throw ServiceError(.unauthorized, "the request carries no Bearer token")
        }
        return token
    }

    /// A WebSocket upgrade's token: the header or the `token` query parameter, never both (AUTH-2).
    static func forUpgrade(_ request: Request) throws(ServiceError) -> String {
        let header = try fromHeader(request.headers)
        let query = request.uri.queryParameters["token"].map(String.init)
        switch (header, query) {
        case (let token?, nil):
            return token
        case (nil, let token?) where !token.isEmpty:
            return token
        case (.some, .some):
            throw ServiceError(.unauthorized, "give the token in the Authorization header or the token parameter, not both")
        default:
            throw ServiceError(.unauthorized, "the upgrade carries no Bearer token")
        }
    }
}

/// What an operation requires of the token beyond being valid (AUTH-6).
enum Access: Sendable {
    /// Any valid token of the tenant.
    case anyToken
    /// A token with a `device_id` claim: sync operations and the WebSocket upgrade.
    case device
    /// A token whose `roles` contain `operator`: policies and reviews.
    case `operator`

    /// Refuses with `forbidden` when `principal` lacks what the operation needs.
    func check(_ principal: Principal) throws(ServiceError) {
        switch self {
        case .anyToken:
            return
        case .device:
            guard principal.device != nil else {
                throw ServiceError(.forbidden, "this operation needs a device token (device_id claim)")
            }
        case .operator:
            guard principal.isOperator else {
                throw ServiceError(.forbidden, "this operation needs the operator role")
            }
        }
    }
}
