import JWTKit
import SyncProtocol

/// Checks bearer tokens and tells who they belong to (AUTH-3, AUTH-4, AUTH-5, TEST-5).
///
/// Accepts HS256 with a shared secret, ES256 with a P-256 public key, or both. A token is
/// checked in this order: its structure and algorithm, its signature, its claims, and finally
/// `exp` and `nbf` against the current time of the token's tenant (which the test-control API
/// can move). Every refusal is a `ServiceError` with `unauthorized`, or `token_expired` for an
/// expired token; messages never echo the token.
public struct TokenVerifier: Sendable {
    /// Shortest HS256 secret, in bytes: RFC 7518 section 3.2 requires a key at least as long as
    /// the hash output (256 bits), and jwt-kit asserts it.
    public static let minimumSecretBytes = 32

    /// The largest clock leeway the spec allows (AUTH-4), in seconds.
    public static let maximumLeewaySeconds: Int64 = 60

    /// The algorithms this verifier accepts, such as `["HS256", "ES256"]`.
    public let algorithms: [String]
    /// Clock leeway for `exp` and `nbf`, in seconds (0 to 60).
    public let leewaySeconds: Int64
    /// The `iss` every token must carry, when set.
    public let issuer: String?
    /// The audience every token's `aud` must contain, when set.
    public let audience: String?

    private let hs256: JWTKeyCollection?
    private let es256: JWTKeyCollection?

    /// Creates a verifier from an HS256 secret (its UTF-8 bytes are the key, at least 32 bytes),
    /// an ES256 public key in PEM form, or both. Throws when neither is given, the secret is
    /// too short, the PEM is not a P-256 public key, or the leeway is outside 0...60 seconds.
    public init(hs256Secret: String? = nil, es256PublicKeyPEM: String? = nil, leewaySeconds: Int64 = 0,
                issuer: String? = nil, audience: String? = nil) async throws(ConfigurationError) {
        guard (0...Self.maximumLeewaySeconds).contains(leewaySeconds) else {
            throw ConfigurationError(.invalidValue, "the clock leeway must be 0 to \(Self.maximumLeewaySeconds) seconds (AUTH-4)")
        }
        if hs256Secret == nil, es256PublicKeyPEM == nil {
            throw ConfigurationError(.missingKey, "a token verifier needs an HS256 secret, an ES256 public key, or both")
        }
        var algorithms: [String] = []
        if let hs256Secret {
            try Self.checkSecret(hs256Secret)
            hs256 = await JWTKeyCollection().add(hmac: HMACKey(from: hs256Secret), digestAlgorithm: .sha256)
            algorithms.append("HS256")
        } else {
            hs256 = nil
        }
        if let es256PublicKeyPEM {
            let key: ES256PublicKey
            do {
                key = try ES256PublicKey(pem: es256PublicKeyPEM)
            } catch {
                throw ConfigurationError(.invalidKey, "the ES256 public key is not a PEM-encoded P-256 public key")
            }
            es256 = await JWTKeyCollection().add(ecdsa: key)
            algorithms.append("ES256")
        } else {
            es256 = nil
        }
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.issuer = issuer
        self.audience = audience
    }

    /// Refuses a secret shorter than `minimumSecretBytes`, without echoing it.
    static func checkSecret(_ secret: String) throws(ConfigurationError) {
        let length = secret.utf8.count
        guard length >= minimumSecretBytes else {
            throw ConfigurationError(.invalidKey, """
                the JWT secret is \(length) bytes; HS256 needs at least \(minimumSecretBytes) (RFC 7518 section 3.2). \
                Generate one with: openssl rand -base64 32
                """)
        }
    }

    /// The principal a token names, or the reason it is refused.
    ///
    /// - Parameters:
    ///   - token: The compact JWT, without the `Bearer ` prefix.
    ///   - now: The current time of a tenant, in milliseconds since the epoch: the real time
    ///     plus the tenant's test-clock offset (TEST-5). Called once, with the token's tenant,
    ///     after the signature and claims have been checked.
    public func verify(_ token: String, now: (String) -> Int64) async throws(ServiceError) -> Principal {
        try await check(token, now: now).principal
    }

    /// `verify`, also saying from when the token is valid (`nbf` less the leeway, in the tenant's
    /// milliseconds; `nil` without `nbf`), for `VerifiedTokenCache`.
    func check(_ token: String, now: (String) -> Int64) async throws(ServiceError) -> VerifiedTokenCache.Entry {
        let structure = try CompactToken(parsing: token)
        let keys: JWTKeyCollection? = switch structure.algorithm {
        case "HS256": hs256
        case "ES256": es256
        default: nil
        }
        guard let keys else {
            throw TokenClaims.refusal("the token's algorithm is not accepted; this server accepts \(algorithms.joined(separator: " and "))")
        }

        let payload: ClaimsPayload
        do {
            payload = try await keys.verify(token, as: ClaimsPayload.self)
        } catch let error as JWTError where error.errorType == .malformedToken {
            throw TokenClaims.refusal("the token's payload is not a base64url-encoded JSON object")
        } catch {
            throw TokenClaims.refusal("the token's signature does not verify")
        }

        let claims = try TokenClaims(validating: payload.object)
        if let issuer, claims.issuer != issuer {
            throw TokenClaims.refusal("the token's issuer ('iss') is not the one this server expects")
        }
        if let audience, !claims.audience.contains(audience) {
            throw TokenClaims.refusal("the token's audience ('aud') does not include this server")
        }

        let nowMilliseconds = Double(now(claims.tenant))
        let leewayMilliseconds = Double(leewaySeconds * 1000)
        if claims.expiresAt * 1000 <= nowMilliseconds - leewayMilliseconds {
            throw ServiceError(.tokenExpired, "the token has expired; obtain a fresh one")
        }
        if let notBefore = claims.notBefore, notBefore * 1000 > nowMilliseconds + leewayMilliseconds {
            throw TokenClaims.refusal("the token is not valid yet ('nbf' is in the future)")
        }
        let principal = Principal(tenant: claims.tenant, user: claims.user, device: claims.device, roles: Set(claims.roles),
                                  expiresAt: Int64((claims.expiresAt * 1000 + leewayMilliseconds).rounded(.up)))
        return VerifiedTokenCache.Entry(principal: principal,
                                        validFrom: claims.notBefore.map { Int64(($0 * 1000 - leewayMilliseconds).rounded(.up)) })
    }
}
