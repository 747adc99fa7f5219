/// How the server checks tokens: the keys it accepts, clock leeway, and the issuer and audience
/// it expects (AUTH-3, AUTH-4).
public struct AuthConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The publicly known secret `--dev` uses when no other is given. Never for a reachable server.
    public static let developmentSecret = "mobilesync-development-secret-not-for-production"

    /// The HS256 shared secret (its UTF-8 bytes are the key).
    public var hs256Secret: String?
    /// The ES256 public key, PEM text (not a path).
    public var es256PublicKeyPEM: String?
    /// Clock leeway for `exp` and `nbf`, in seconds, 0 to 60.
    public var leewaySeconds: Int64
    /// The `iss` every token must carry, when set.
    public var issuer: String?
    /// The audience every token's `aud` must contain, when set.
    public var audience: String?

    /// Creates an auth configuration.
    public init(hs256Secret: String? = nil, es256PublicKeyPEM: String? = nil, leewaySeconds: Int64 = 0,
                issuer: String? = nil, audience: String? = nil) {
        self.hs256Secret = hs256Secret
        self.es256PublicKeyPEM = es256PublicKeyPEM
        self.leewaySeconds = leewaySeconds
        self.issuer = issuer
        self.audience = audience
    }

    /// Checks that tokens can be verified: a key is given, a secret is at least 32 bytes, the
    /// leeway is within 0...60 seconds.
    public func validate() throws(ConfigurationError) {
        if hs256Secret == nil, es256PublicKeyPEM == nil {
            throw ConfigurationError(.missingKey, """
                no key to verify tokens with. Set SYNC_JWT_SECRET (or --jwt-secret) to a random secret \
                of at least \(TokenVerifier.minimumSecretBytes) bytes, for example SYNC_JWT_SECRET="$(openssl rand -base64 32)", \
                or SYNC_JWT_PUBLIC_KEY (or --jwt-public-key) to an ES256 public key PEM file. \
                For local development only, --dev uses a well-known secret.
                """)
        }
        if let hs256Secret { try TokenVerifier.checkSecret(hs256Secret) }
        if !(0...TokenVerifier.maximumLeewaySeconds).contains(leewaySeconds) {
            throw ConfigurationError(.invalidValue, "the JWT clock leeway must be 0 to \(TokenVerifier.maximumLeewaySeconds) seconds (AUTH-4), not \(leewaySeconds)")
        }
        if issuer?.isEmpty == true { throw ConfigurationError(.invalidValue, "the expected JWT issuer is empty") }
        if audience?.isEmpty == true { throw ConfigurationError(.invalidValue, "the expected JWT audience is empty") }
    }

    /// The verifier for these settings.
    public func makeVerifier() async throws(ConfigurationError) -> TokenVerifier {
        try await TokenVerifier(hs256Secret: hs256Secret, es256PublicKeyPEM: es256PublicKeyPEM,
                                leewaySeconds: leewaySeconds, issuer: issuer, audience: audience)
    }

    /// The algorithms accepted, leeway, issuer and audience; never the secret or the key.
    public var description: String {
        var algorithms: [String] = []
        if hs256Secret != nil { algorithms.append("HS256 (secret set)") }
        if es256PublicKeyPEM != nil { algorithms.append("ES256 (public key set)") }
        var parts = [algorithms.isEmpty ? "no keys" : algorithms.joined(separator: ", "), "leeway \(leewaySeconds) s"]
        if let issuer { parts.append("issuer \(issuer)") }
        if let audience { parts.append("audience \(audience)") }
        return parts.joined(separator: ", ")
    }
}
