import JWTKit
import SyncProtocol

/// The payload as jwt-kit sees it: any JSON object. jwt-kit checks the signature and decodes
/// it; the claims and the validity period are checked afterwards by `TokenClaims` and
/// `TokenVerifier` against the tenant's clock, never against the wall clock inside jwt-kit.
struct ClaimsPayload: JWTPayload {
    /// The claims.
    var object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    init(from decoder: any Decoder) throws {
        object = try decoder.singleValueContainer().decode(JSONObject.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }

    /// Nothing to check here: see the type's comment.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
