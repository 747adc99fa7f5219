import Foundation
import SyncProtocol

/// The structure of a JWS compact token, checked before any key is used (AUTH-3): three
/// base64url segments, the header a JSON object naming its algorithm.
struct CompactToken: Sendable {
    /// Longest token accepted; anything longer is refused before it is decoded.
    static let maximumLength = 8192

    /// The header's `alg`.
    var algorithm: String

    /// Checks the structure of `token`. Messages describe the problem, never the token.
    init(parsing token: String) throws(ServiceError) {
        guard !token.isEmpty else { throw TokenClaims.refusal("no token was given") }
        guard token.utf8.count <= Self.maximumLength else {
            throw TokenClaims.refusal("the token is longer than \(Self.maximumLength) bytes")
        }
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3, segments.allSatisfy(Base64URL.isValid) else {
            throw TokenClaims.refusal("the token is not a JWT: expected three base64url segments separated by '.'")
        }
        guard !segments[0].isEmpty, !segments[1].isEmpty,
              let headerData = Base64URL.decode(segments[0]),
              case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: headerData)
        else {
            throw TokenClaims.refusal("the token's header is not a base64url-encoded JSON object")
        }
        guard case .string(let algorithm)? = header["alg"] else {
            throw TokenClaims.refusal("the token's header has no 'alg'")
        }
        if algorithm.lowercased() == "none" {
            throw TokenClaims.refusal("unsigned tokens ('alg: none') are not accepted")
        }
        // RFC 7515 section 4.1.11: a recipient that does not understand a critical extension
        // must refuse the token; this server understands none.
        if header["crit"] != nil {
            throw TokenClaims.refusal("the token's header lists critical extensions ('crit'), which this server does not support")
        }
        guard !segments[2].isEmpty else { throw TokenClaims.refusal("the token has no signature") }
        // RFC 7519 section 4: a claim named twice makes the token ambiguous (which `exp` or
        // `tenant_id` counts?); refuse it rather than let one parser pick the first and another the last.
        if let payload = Base64URL.decode(segments[1]), JSONText.hasDuplicateMembers(payload) == true {
            throw TokenClaims.refusal("the token's payload names a claim more than once")
        }
        self.algorithm = algorithm
    }
}

/// Base64url without padding (RFC 7515 section 2).
enum Base64URL {
    /// Whether every byte is in the base64url alphabet (padding is not allowed in a JWS).
    static func isValid(_ bytes: Substring.UTF8View) -> Bool {
        bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// The decoded bytes, or `nil` when the length is impossible.
    static func decode(_ bytes: Substring.UTF8View) -> Data? {
        var text = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        switch text.count % 4 {
        case 0: break
        case 2: text += "=="
        case 3: text += "="
        default: return nil
        }
        return Data(base64Encoded: text)
    }

    /// The unpadded base64url text of `data`.
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
