import Foundation
import SyncServer
import Testing

@Suite("TokenVerifier and TokenIssuer setup")
struct TokenSetupTests {
    @Test("a verifier needs a key, a P-256 public key PEM and a leeway of 0 to 60 seconds")
    func verifierConfiguration() async throws {
        let noKey = await #expect(throws: ConfigurationError.self) { try await TokenVerifier() }
        #expect(noKey?.code == .missingKey)
        let badPEM = await #expect(throws: ConfigurationError.self) {
            try await TokenVerifier(es256PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")
        }
        #expect(badPEM?.code == .invalidKey)
        let privateAsPublic = await #expect(throws: ConfigurationError.self) {
            try await TokenVerifier(es256PublicKeyPEM: TestTokens.es256.privateKeyPEM)
        }
        #expect(privateAsPublic?.code == .invalidKey)
        for leeway: Int64 in [-1, 61] {
            let error = await #expect(throws: ConfigurationError.self) {
                try await TokenVerifier(hs256Secret: TestTokens.secret, leewaySeconds: leeway)
            }
            #expect(error?.code == .invalidValue)
        }
        #expect(try await TokenVerifier(hs256Secret: TestTokens.secret, leewaySeconds: 60).leewaySeconds == 60)
        for secret in ["", "dev-secret", String(repeating: "x", count: 31)] {
            let short = await #expect(throws: ConfigurationError.self) { try await TokenVerifier(hs256Secret: secret) }
            #expect(short?.code == .invalidKey)
            await #expect(throws: ConfigurationError.self) { try await TokenIssuer(hs256Secret: secret) }
        }
        _ = try await TokenVerifier(hs256Secret: String(repeating: "x", count: 32))
    }

    @Test("the issuer refuses ids the server would refuse, and lifetimes below a second")
    func issuerInput() async throws {
        let issuer = try await TestTokens.hs256Issuer()
        for (tenant, user, device) in [("acme corp", "alice", "d1"), ("acme", "", "d1"), ("acme", "alice", "d/1")] {
            let error = await #expect(throws: ConfigurationError.self) {
                try await issuer.mint(tenant: tenant, user: user, device: device)
            }
            #expect(error?.code == .invalidValue)
        }
        await #expect(throws: ConfigurationError.self) { try await issuer.mint(tenant: "acme", user: "alice", ttlSeconds: 0) }
        // `sync-server token --ttl 9300000000000000` once minted a token that crashed the verifier.
        for ttl in [Int64(9_300_000_000_000_000), .max] {
            await #expect(throws: ConfigurationError.self) { try await issuer.mint(tenant: "acme", user: "alice", ttlSeconds: ttl) }
        }
        let badKey = await #expect(throws: ConfigurationError.self) { try await TokenIssuer(es256PrivateKeyPEM: "not a key") }
        #expect(badKey?.code == .invalidKey)
    }

    @Test("keys made with openssl (a SEC1 private key, an SPKI public key) sign and verify ES256")
    func opensslKeys() async throws {
        // A throwaway test key pair: openssl ecparam -name prime256v1 -genkey -noout, then openssl ec -pubout.
        let privateKey = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIC3DAsCPUoQZ/ku/8I1MsEFXFsRty2n5rGkkET43vXnqoAoGCCqGSM49
            AwEHoUQDQgAET7qZjNLki7KinSqG0FgSoNNtLapU8qtzfK0x09G13tHrPyb/lJ8B
            NsDD5QD2iDGh0z/h4QQOAAWK3LGwJr2Yig==
            -----END EC PRIVATE KEY-----
            """
        let publicKey = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAET7qZjNLki7KinSqG0FgSoNNtLapU
            8qtzfK0x09G13tHrPyb/lJ8BNsDD5QD2iDGh0z/h4QQOAAWK3LGwJr2Yig==
            -----END PUBLIC KEY-----
            """
        let token = try await TokenIssuer(es256PrivateKeyPEM: privateKey)
            .mint(tenant: "acme", user: "alice", device: "d1", nowMilliseconds: TestTokens.now)
        let principal = try await TokenVerifier(es256PublicKeyPEM: publicKey).verify(token, now: TestTokens.clock(TestTokens.now))
        #expect(principal.device == "d1")
        // The other test key pair does not verify it.
        await #expect(throws: ServiceError.self) {
            try await TestTokens.es256Verifier().verify(token, now: TestTokens.clock(TestTokens.now))
        }
    }

    @Test("minted tokens carry iat and exp in whole seconds and the roles sorted once")
    func mintedClaims() async throws {
        let issuer = try await TestTokens.hs256Issuer()
        #expect(issuer.algorithm == "HS256")
        let token = try await issuer.mint(tenant: "acme", user: "alice", device: "d1", roles: ["b", "a", "b"],
                                          ttlSeconds: 90, nowMilliseconds: TestTokens.now + 999)
        let payload = try #require(Base64URLDecoding.json(TestTokens.segments(token)[1]))
        #expect(payload["iat"] as? Int == Int(TestTokens.now / 1000))
        #expect(payload["exp"] as? Int == Int(TestTokens.now / 1000 + 90))
        #expect(payload["roles"] as? [String] == ["a", "b"])
        #expect(payload["device_id"] as? String == "d1")
        #expect(payload["iss"] == nil && payload["aud"] == nil && payload["nbf"] == nil)
        let header = try #require(Base64URLDecoding.json(TestTokens.segments(token)[0]))
        #expect(header["alg"] as? String == "HS256")
        #expect(try await TestTokens.es256Issuer().algorithm == "ES256")
    }
}

/// Reads a base64url segment as a JSON object, independently of the code under test.
enum Base64URLDecoding {
    static func json(_ segment: String) -> [String: Any]? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
