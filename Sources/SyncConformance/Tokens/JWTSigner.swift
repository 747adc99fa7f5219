import Crypto
import Foundation

/// Signs JWTs (JWS compact) with HS256 or ES256, and forges broken ones on request.
enum JWTSigner {
    static func sign(_ request: TokenRequest, with source: TokenSource) throws -> String {
        if case .raw(let text) = request.forge { return text }
        let algorithm: String
        switch source {
        case .es256: algorithm = "ES256"
        default: algorithm = "HS256"
        }
        let alg = request.forge == .algNone ? "none" : algorithm
        let header = JSON.object([JSON.Member("alg", .string(alg)), JSON.Member("typ", .string("JWT"))])
        let signingInput = base64URL(Array(header.compact.utf8)) + "." + base64URL(Array(request.payload.compact.utf8))
        if request.forge == .algNone { return signingInput + "." }
        let signature: [UInt8]
        switch source {
        case .hs256(let secret):
            signature = Array(HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret)))
        case .es256(let key):
            signature = Array(try key.signature(for: Array(signingInput.utf8)).rawRepresentation)
        case .command:
            throw TokenError(description: "a token command does not sign")
        }
        let token = signingInput + "." + base64URL(signature)
        if case .tamper(let part) = request.forge { return tamper(token, part: part) }
        return token
    }

    /// Changes one character in the middle of the named part, keeping it valid base64url.
    static func tamper(_ token: String, part: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map { Array($0) }
        let index = ["header": 0, "payload": 1, "signature": 2][part] ?? 2
        guard parts.indices.contains(index), !parts[index].isEmpty else { return token }
        let position = parts[index].count / 2
        parts[index][position] = parts[index][position] == "A" ? "B" : "A"
        return parts.map { String($0) }.joined(separator: ".")
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
