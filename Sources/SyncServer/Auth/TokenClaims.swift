import SyncProtocol

/// The claims of a token whose signature verified, checked for presence and type (AUTH-4,
/// AUTH-5) but not yet against the clock.
struct TokenClaims: Sendable, Hashable {
    /// `tenant_id`.
    var tenant: String
    /// `sub`.
    var user: String
    /// `device_id`, absent for operator tokens that do not sync.
    var device: String?
    /// `roles`.
    var roles: [String]
    /// `exp`, seconds since the epoch (a NumericDate may have a fraction).
    var expiresAt: Double
    /// `nbf`, seconds since the epoch.
    var notBefore: Double?
    /// `iat`, seconds since the epoch.
    var issuedAt: Double?
    /// `iss`.
    var issuer: String?
    /// `aud`: one string or an array of strings in the token, always a list here.
    var audience: [String]

    /// Reads and checks the claims of a verified payload. Messages name the claim, never its value.
    init(validating object: JSONObject) throws(ServiceError) {
        tenant = try Self.identifier("tenant_id", in: object, required: true) ?? ""
        user = try Self.identifier("sub", in: object, required: true) ?? ""
        device = try Self.identifier("device_id", in: object, required: false)
        roles = try Self.strings("roles", in: object) ?? []
        guard let exp = try Self.numericDate("exp", in: object) else {
            throw Self.refusal("the token has no 'exp' claim; every token must expire")
        }
        expiresAt = exp
        notBefore = try Self.numericDate("nbf", in: object)
        issuedAt = try Self.numericDate("iat", in: object)
        issuer = try Self.string("iss", in: object)
        if case .string(let single)? = object["aud"] {
            audience = [single]
        } else {
            audience = try Self.strings("aud", in: object) ?? []
        }
    }

    private static func identifier(_ name: String, in object: JSONObject, required: Bool) throws(ServiceError) -> String? {
        guard let value = try string(name, in: object) else {
            if required { throw refusal("the token has no '\(name)' claim") }
            return nil
        }
        guard IdentifierClaim.isValid(value) else {
            throw refusal("the token's '\(name)' claim must be \(IdentifierClaim.rule)")
        }
        return value
    }

    private static func string(_ name: String, in object: JSONObject) throws(ServiceError) -> String? {
        switch object[name] {
        case nil: return nil
        case .string(let value)?: return value
        default: throw refusal("the token's '\(name)' claim must be a string")
        }
    }

    private static func strings(_ name: String, in object: JSONObject) throws(ServiceError) -> [String]? {
        switch object[name] {
        case nil: return nil
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let value) = item else {
                    throw refusal("the token's '\(name)' claim must be an array of strings")
                }
                result.append(value)
            }
            return result
        default: throw refusal("the token's '\(name)' claim must be an array of strings")
        }
    }

    /// The latest NumericDate accepted (AUTH-4): the last second of the year 9999. Bounding every
    /// date claim keeps the arithmetic on it (milliseconds, leeway, session expiry) far from
    /// `Int64` overflow, so no signed claim can trap the process.
    static let latestNumericDate: Int64 = 253_402_300_799

    private static func numericDate(_ name: String, in object: JSONObject) throws(ServiceError) -> Double? {
        let seconds: Double
        switch object[name] {
        case nil: return nil
        case .int(let value)?: seconds = Double(value)
        case .double(let value)? where value.isFinite: seconds = value
        default: throw refusal("the token's '\(name)' claim must be a number of seconds since the epoch")
        }
        guard seconds >= 0, seconds <= Double(latestNumericDate) else {
            throw refusal("the token's '\(name)' claim must be between 0 and \(latestNumericDate) seconds since the epoch")
        }
        return seconds
    }

    static func refusal(_ message: String) -> ServiceError {
        ServiceError(.unauthorized, message)
    }
}
