import Foundation
import SyncProtocol
import SyncServer
import Testing

@Suite("TokenVerifier: valid tokens")
struct TokenVerifierValidTests {
    @Test("an HS256 token verifies to its tenant, user, device and roles")
    func hs256() async throws {
        let token = try await TestTokens.hs256Issuer().mint(
            tenant: "acme", user: "alice", device: "phone-1", roles: ["operator", "auditor"], nowMilliseconds: TestTokens.now)
        let principal = try await TestTokens.hs256Verifier().verify(token, now: TestTokens.clock(TestTokens.now))
        #expect(principal == Principal(tenant: "acme", user: "alice", device: "phone-1", roles: ["operator", "auditor"],
                                       expiresAt: TestTokens.now + 3_600_000))
        #expect(principal.isOperator)
    }

    @Test("an ES256 token verifies to its principal")
    func es256() async throws {
        let token = try await TestTokens.es256Issuer().mint(
            tenant: "tenant.b", user: "user:42", device: "ios_device-7", nowMilliseconds: TestTokens.now)
        #expect(TestTokens.segments(token).count == 3)
        let principal = try await TestTokens.es256Verifier().verify(token, now: TestTokens.clock(TestTokens.now))
        #expect(principal == Principal(tenant: "tenant.b", user: "user:42", device: "ios_device-7", expiresAt: TestTokens.now + 3_600_000))
    }

    @Test("a verifier with both keys accepts both algorithms")
    func both() async throws {
        let verifier = try await TokenVerifier(hs256Secret: TestTokens.secret, es256PublicKeyPEM: TestTokens.es256.publicKeyPEM)
        #expect(verifier.algorithms == ["HS256", "ES256"])
        for issuer in [try await TestTokens.hs256Issuer(), try await TestTokens.es256Issuer()] {
            let token = try await issuer.mint(tenant: "acme", user: "alice", device: "d1", nowMilliseconds: TestTokens.now)
            let principal = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now))
            #expect(principal.tenant == "acme", "\(issuer.algorithm)")
        }
    }

    @Test("an operator token needs no device")
    func operatorWithoutDevice() async throws {
        let token = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "ops", roles: ["operator"],
                                                            nowMilliseconds: TestTokens.now)
        let principal = try await TestTokens.hs256Verifier().verify(token, now: TestTokens.clock(TestTokens.now))
        #expect(principal.device == nil)
        #expect(principal.isOperator)
    }

    @Test("a fractional exp, an audience array and a matching issuer are accepted")
    func optionalClaimForms() async throws {
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims([
            "exp": .double(Double(TestTokens.now / 1000) + 10.5), "iss": "https://auth.example",
            "aud": ["other", "mobilesync"], "nbf": .int(TestTokens.now / 1000),
        ]))
        let verifier = try await TestTokens.hs256Verifier(issuer: "https://auth.example", audience: "mobilesync")
        let principal = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 10_000))
        #expect(principal.user == "alice")
    }
}

@Suite("TokenVerifier: validity period against the tenant clock")
struct TokenVerifierTimeTests {
    @Test("a token is valid until exp and expired at exp")
    func expiry() async throws {
        let token = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "alice", device: "d1", ttlSeconds: 60,
                                                            nowMilliseconds: TestTokens.now)
        let verifier = try await TestTokens.hs256Verifier()
        _ = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 59_999))
        let error = await #expect(throws: ServiceError.self) {
            try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 60_000))
        }
        #expect(error?.code == .tokenExpired)
    }

    @Test("the leeway extends exp by up to its value")
    func expiryLeeway() async throws {
        let token = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "alice", device: "d1", ttlSeconds: 60,
                                                            nowMilliseconds: TestTokens.now)
        let verifier = try await TestTokens.hs256Verifier(leeway: 30)
        _ = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 89_999))
        let error = await #expect(throws: ServiceError.self) {
            try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 90_000))
        }
        #expect(error?.code == .tokenExpired)
    }

    @Test("a token whose nbf is in the future is unauthorized, unless within the leeway")
    func notBefore() async throws {
        let nbf = TestTokens.now / 1000 + 20
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims(["nbf": .int(nbf)]))
        let error = await #expect(throws: ServiceError.self) {
            try await TestTokens.hs256Verifier().verify(token, now: TestTokens.clock(TestTokens.now))
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("not valid yet") == true)

        _ = try await TestTokens.hs256Verifier(leeway: 20).verify(token, now: TestTokens.clock(TestTokens.now))
        await #expect(throws: ServiceError.self) {
            try await TestTokens.hs256Verifier(leeway: 19).verify(token, now: TestTokens.clock(TestTokens.now))
        }
        _ = try await TestTokens.hs256Verifier().verify(token, now: TestTokens.clock(nbf * 1000))
    }

    @Test("expiry uses the token's tenant clock, not the wall clock")
    func tenantClock() async throws {
        // Issued at the real time: by the wall clock it is valid for an hour.
        let issuer = try await TestTokens.hs256Issuer()
        let acme = try await issuer.mint(tenant: "acme", user: "alice", device: "d1", ttlSeconds: 3600)
        let globex = try await issuer.mint(tenant: "globex", user: "bob", device: "d2", ttlSeconds: 3600)
        let verifier = try await TestTokens.hs256Verifier()
        let realNow = Int64(Date.now.timeIntervalSince1970 * 1000)
        // acme's test clock was advanced by two hours; globex's was not.
        let offsets = ["acme": Int64(2 * 3600 * 1000)]
        let tenantNow: (String) -> Int64 = { tenant in realNow + (offsets[tenant] ?? 0) }

        let error = await #expect(throws: ServiceError.self) { try await verifier.verify(acme, now: tenantNow) }
        #expect(error?.code == .tokenExpired)
        #expect(try await verifier.verify(globex, now: tenantNow).tenant == "globex")

        // A token minted far in the future is valid once the tenant's clock is there.
        let future = TestTokens.now + 10 * 365 * 86_400_000
        let later = try await issuer.mint(tenant: "acme", user: "alice", device: "d1", ttlSeconds: 60, nowMilliseconds: future)
        var asked: [String] = []
        _ = try await verifier.verify(later) { tenant in
            asked.append(tenant)
            return future + 1000
        }
        #expect(asked == ["acme"])
    }
}
