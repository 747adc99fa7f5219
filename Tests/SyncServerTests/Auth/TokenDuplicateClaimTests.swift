import Crypto
import Foundation
import SyncProtocol
import SyncServer
import Testing

/// RFC 7519 section 4: a correctly signed token that names a claim twice is refused.
@Suite("TokenVerifier: duplicate claims")
struct TokenDuplicateClaimTests {
    /// An HS256 token over exactly `payload` (any JSON text), signed with the tests' secret.
    private func signed(payload: String) -> String {
        let input = TestTokens.encode(json: #"{"alg":"HS256","typ":"JWT"}"#) + "." + TestTokens.encode(json: payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(TestTokens.secret.utf8)))
        let signature = Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return input + "." + signature
    }

    private func verify(_ token: String) async throws -> ServiceError? {
        let verifier = try await TestTokens.hs256Verifier()
        do {
            _ = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now))
            return nil
        } catch {
            return error
        }
    }

    private static let exp = TestTokens.now / 1000 + 3600

    @Test("the same payload without repeats is accepted: the signing in this test is right")
    func control() async throws {
        #expect(try await verify(signed(payload: #"{"tenant_id":"acme","sub":"alice","device_id":"d1","exp":\#(Self.exp)}"#)) == nil)
    }

    @Test("a claim named twice is unauthorized, whichever copy would win", arguments: [
        #"{"tenant_id":"acme","tenant_id":"globex","sub":"alice","device_id":"d1","exp":\#(exp)}"#,
        #"{"tenant_id":"acme","sub":"alice","device_id":"d1","exp":1,"exp":\#(exp)}"#,
        #"{"tenant_id":"acme","sub":"alice","device_id":"d1","exp":\#(exp),"roles":["operator"],"extra":{"a":1,"a":2}}"#,
    ])
    func duplicate(_ payload: String) async throws {
        let error = try await verify(signed(payload: payload))
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("more than once") == true)
    }
}
