import Foundation
import JWTKit
package import SyncProtocol

/// Mints signed tokens for tests, local development and the `sync-server token` command.
///
/// Signs with HS256 (a shared secret) or ES256 (a P-256 private key). Production deployments
/// normally mint tokens in their own identity service; this issuer produces exactly the claims
/// `TokenVerifier` reads (`tenant_id`, `sub`, `device_id`, `roles`, `iat`, `exp`, and `iss`
/// and `aud` when asked).
public struct TokenIssuer: Sendable {
    /// The algorithm of the tokens this issuer signs: `HS256` or `ES256`.
    public let algorithm: String

    private let keys: JWTKeyCollection

    /// An HS256 issuer; the secret's UTF-8 bytes are the key, at least 32 bytes.
    public init(hs256Secret: String) async throws(ConfigurationError) {
        try TokenVerifier.checkSecret(hs256Secret)
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: hs256Secret), digestAlgorithm: .sha256)
        algorithm = "HS256"
    }

    /// An ES256 issuer from a PEM-encoded P-256 private key.
    public init(es256PrivateKeyPEM: String) async throws(ConfigurationError) {
        let key: ES256PrivateKey
        do {
            key = try ES256PrivateKey(pem: es256PrivateKeyPEM)
        } catch {
            throw ConfigurationError(.invalidKey, "the ES256 private key is not a PEM-encoded P-256 private key")
        }
        keys = await JWTKeyCollection().add(ecdsa: key)
        algorithm = "ES256"
    }

    /// A signed token for a tenant's user (and device), valid for `ttlSeconds` from `now`.
    ///
    /// - Parameters:
    ///   - tenant: The `tenant_id` claim.
    ///   - user: The `sub` claim.
    ///   - device: The `device_id` claim; leave it out for operator tokens that do not sync.
    ///   - roles: The `roles` claim, such as `["operator"]`; omitted when empty.
    ///   - ttlSeconds: Lifetime in seconds; `exp` is `iat + ttlSeconds`.
    ///   - nowMilliseconds: The time the token is issued at, in milliseconds since the epoch;
    ///     the real time when `nil`. Give a tenant's test-clock time to mint for that tenant.
    ///   - issuer: The `iss` claim, when the server expects one.
    ///   - audience: The `aud` claim, when the server expects one.
    /// - Throws: `invalid_value` for an id the server would refuse or a TTL that is not positive.
    public func mint(tenant: String, user: String, device: String? = nil, roles: [String] = [],
                     ttlSeconds: Int64 = 3600, nowMilliseconds: Int64? = nil,
                     issuer: String? = nil, audience: String? = nil) async throws(ConfigurationError) -> String {
        let ids: [(name: String, value: String?)] = [("tenant", tenant), ("user", user), ("device", device)]
        for (name, value) in ids {
            guard let value else { continue }
            guard IdentifierClaim.isValid(value) else {
                throw ConfigurationError(.invalidValue, "the \(name) id must be \(IdentifierClaim.rule)")
            }
        }
        guard ttlSeconds > 0 else { throw ConfigurationError(.invalidValue, "the token lifetime must be at least 1 second") }
        let now = nowMilliseconds ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let issuedAt = now.floorDivided(by: 1000)
        let (expiresAt, overflow) = issuedAt.addingReportingOverflow(ttlSeconds)
        guard !overflow, expiresAt <= TokenClaims.latestNumericDate else {
            throw ConfigurationError(.invalidValue, "the token lifetime is too long: 'exp' must not pass the year 9999 (AUTH-4)")
        }

        var claims: JSONObject = ["tenant_id": .string(tenant), "sub": .string(user),
                                  "iat": .int(issuedAt), "exp": .int(expiresAt)]
        if let device { claims["device_id"] = .string(device) }
        if !roles.isEmpty { claims["roles"] = .array(Set(roles).sorted().map(JSONValue.string)) }
        if let issuer { claims["iss"] = .string(issuer) }
        if let audience { claims["aud"] = .string(audience) }
        return try await sign(claims)
    }

    /// Signs any claims as they are, unchecked: for tests that need tokens the verifier refuses.
    package func sign(_ claims: JSONObject) async throws(ConfigurationError) -> String {
        do {
            return try await keys.sign(ClaimsPayload(claims))
        } catch {
            throw ConfigurationError(.signingFailed, "the token could not be signed")
        }
    }
}

extension TokenIssuer {
    /// A new random P-256 key pair in PEM form, for tests and local setups.
    package static func makeES256KeyPair() -> (privateKeyPEM: String, publicKeyPEM: String) {
        let key = ES256PrivateKey()
        return (key.pemRepresentation, key.publicKey.pemRepresentation)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, so times before 1970 stay correct.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
