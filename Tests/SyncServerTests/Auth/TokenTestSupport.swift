import Foundation
import SyncProtocol
import SyncServer

/// Keys, clocks and token surgery shared by the auth and CLI tests.
enum TestTokens {
    /// An HS256 secret long enough for production settings.
    static let secret = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
    /// Another valid secret, for wrong-key tests.
    static let otherSecret = "another-secret-0123456789-abcdefghijklmnopqrstu"
    /// One ES256 key pair for the whole run.
    static let es256 = TokenIssuer.makeES256KeyPair()
    /// 2026-01-01T00:00:00Z in milliseconds: the tests' "now".
    static let now: Int64 = 1_767_225_600_000

    /// A clock that says `milliseconds` for every tenant.
    static func clock(_ milliseconds: Int64) -> (String) -> Int64 { { _ in milliseconds } }

    static func hs256Verifier(leeway: Int64 = 0, issuer: String? = nil, audience: String? = nil) async throws -> TokenVerifier {
        try await TokenVerifier(hs256Secret: secret, leewaySeconds: leeway, issuer: issuer, audience: audience)
    }

    static func es256Verifier() async throws -> TokenVerifier {
        try await TokenVerifier(es256PublicKeyPEM: es256.publicKeyPEM)
    }

    static func hs256Issuer(secret: String = secret) async throws -> TokenIssuer {
        try await TokenIssuer(hs256Secret: secret)
    }

    static func es256Issuer() async throws -> TokenIssuer {
        try await TokenIssuer(es256PrivateKeyPEM: es256.privateKeyPEM)
    }

    /// Valid claims for tenant `acme`, user `alice`, device `phone-1`, expiring an hour after `now`.
    static func claims(_ changes: JSONObject = [:], removing removed: [String] = []) -> JSONObject {
        var claims: JSONObject = ["tenant_id": "acme", "sub": "alice", "device_id": "phone-1",
                                  "iat": .int(now / 1000), "exp": .int(now / 1000 + 3600)]
        for (key, value) in changes { claims[key] = value }
        for key in removed { claims[key] = nil }
        return claims
    }

    /// The three segments of a compact token.
    static func segments(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// Unpadded base64url of JSON text.
    static func encode(json: String) -> String {
        Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The JSON text of an object, keys sorted.
    static func json(_ object: JSONObject) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(object), as: UTF8.self)
    }

    /// `token` with one segment replaced.
    static func replacing(segment index: Int, of token: String, with value: String) -> String {
        var parts = segments(token)
        parts[index] = value
        return parts.joined(separator: ".")
    }

    /// `token` with the character at `offset` of a segment changed to another base64url character.
    static func flipping(segment index: Int, at offset: Int, of token: String) -> String {
        var parts = segments(token)
        var characters = Array(parts[index])
        characters[offset] = characters[offset] == "A" ? "B" : "A"
        parts[index] = String(characters)
        return parts.joined(separator: ".")
    }
}
