public import Crypto
import Foundation

/// What a token must say: the claims an actor asks for and, for forging, how to break it.
public struct TokenRequest: Sendable {
    /// `tenant_id`.
    public var tenant: String
    /// `sub`.
    public var user: String
    /// `device_id`, when the actor is a device.
    public var device: String?
    /// `roles`.
    public var roles: [String]
    /// `iat`, seconds.
    public var issuedAt: Int64
    /// `exp`, seconds.
    public var expires: Int64
    /// `nbf`, seconds, when set.
    public var notBefore: Int64?
    /// Claims merged over the generated ones (`{$absent: true}` deletes one).
    public var claims: JSON?
    /// How to break the token, when asked.
    public var forge: TokenForgery?

    /// Creates a request.
    public init(tenant: String, user: String, device: String? = nil, roles: [String] = [], issuedAt: Int64, expires: Int64,
                notBefore: Int64? = nil, claims: JSON? = nil, forge: TokenForgery? = nil) {
        self.tenant = tenant
        self.user = user
        self.device = device
        self.roles = roles
        self.issuedAt = issuedAt
        self.expires = expires
        self.notBefore = notBefore
        self.claims = claims
        self.forge = forge
    }

    /// The claims in the order the runner writes them, with `claims` merged over.
    public var payload: JSON {
        var members = [JSON.Member("tenant_id", .string(tenant)), JSON.Member("sub", .string(user))]
        if let device { members.append(JSON.Member("device_id", .string(device))) }
        members.append(JSON.Member("roles", .array(roles.map(JSON.string))))
        members.append(JSON.Member("iat", .int(issuedAt)))
        members.append(JSON.Member("exp", .int(expires)))
        if let notBefore { members.append(JSON.Member("nbf", .int(notBefore))) }
        for member in claims?.members ?? [] {
            members.removeAll { $0.key == member.key }
            if member.value != .object([JSON.Member("$absent", .bool(true))]) { members.append(member) }
        }
        return .object(members)
    }
}

/// Why no token could be had.
public struct TokenError: Error, Sendable, CustomStringConvertible {
    /// What went wrong (never the secret).
    public var description: String
}

/// Where tokens come from: a shared secret (HS256), a private key (ES256), or a command the
/// implementer provides. Only the first two can forge broken tokens.
public enum TokenSource: Sendable {
    /// HS256 with this secret.
    case hs256(secret: [UInt8])
    /// ES256 with this private key.
    case es256(P256.Signing.PrivateKey)
    /// Runs this shell command with `MS_TENANT_ID MS_SUB MS_DEVICE_ID MS_ROLES MS_EXP` (and
    /// `MS_IAT`, the tenant's server time in seconds) set; it prints the token.
    case command(String)

    /// Whether the runner signs tokens itself (the `token-forging` feature is possible).
    public var canForge: Bool {
        if case .command = self { return false }
        return true
    }

    /// Reads an ES256 private key from a PEM file.
    public static func es256(pemFile path: String) throws -> TokenSource {
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        return .es256(try P256.Signing.PrivateKey(pemRepresentation: pem))
    }

    /// A token for `request`.
    public func token(_ request: TokenRequest) async throws -> String {
        switch self {
        case .hs256, .es256:
            return try JWTSigner.sign(request, with: self)
        case .command(let command):
            if request.forge != nil || request.claims != nil || request.notBefore != nil {
                throw TokenError(description: "a token command cannot forge tokens or set extra claims (feature token-forging)")
            }
            return try await TokenCommand.run(command, request)
        }
    }
}
