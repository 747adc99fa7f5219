import SyncProtocol
import SyncServer
import Testing

/// Verifies `token` with an HS256 verifier at `TestTokens.now`, expecting a refusal.
private func refusal(of token: String, verifier: TokenVerifier? = nil) async throws -> ServiceError? {
    let verifier = if let verifier { verifier } else { try await TestTokens.hs256Verifier() }
    let error = await #expect(throws: ServiceError.self) {
        try await verifier.verify(token, now: TestTokens.clock(TestTokens.now))
    }
    // Messages never echo the token or any of its segments.
    for segment in TestTokens.segments(token) where segment.count > 3 {
        #expect(error?.message.contains(segment) == false, "the message echoes the token: \(error?.message ?? "")")
    }
    return error
}

@Suite("TokenVerifier: refusals")
struct TokenRefusalTests {
    @Test("a changed payload is unauthorized")
    func tamperedPayload() async throws {
        let token = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "alice", device: "d1", nowMilliseconds: TestTokens.now)
        let otherTenant = TestTokens.encode(json: TestTokens.json(TestTokens.claims(["tenant_id": "globex"])))
        let error = try await refusal(of: TestTokens.replacing(segment: 1, of: token, with: otherTenant))
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("signature") == true)
        #expect(try await refusal(of: TestTokens.flipping(segment: 1, at: 5, of: token))?.code == .unauthorized)
    }

    @Test("a changed signature or header is unauthorized")
    func tamperedSignature() async throws {
        let hs256 = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now)
        #expect(try await refusal(of: TestTokens.flipping(segment: 2, at: 0, of: hs256))?.code == .unauthorized)
        #expect(try await refusal(of: TestTokens.flipping(segment: 2, at: 20, of: hs256))?.code == .unauthorized)
        let headerWithKid = TestTokens.encode(json: #"{"alg":"HS256","typ":"JWT","kid":"x"}"#)
        #expect(try await refusal(of: TestTokens.replacing(segment: 0, of: hs256, with: headerWithKid))?.code == .unauthorized)

        let es256 = try await TestTokens.es256Issuer().mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now)
        let verifier = try await TestTokens.es256Verifier()
        #expect(try await refusal(of: TestTokens.flipping(segment: 2, at: 10, of: es256), verifier: verifier)?.code == .unauthorized)
        #expect(try await refusal(of: TestTokens.flipping(segment: 1, at: 10, of: es256), verifier: verifier)?.code == .unauthorized)
    }

    @Test("a token signed with another secret is unauthorized")
    func wrongSecret() async throws {
        let token = try await TestTokens.hs256Issuer(secret: TestTokens.otherSecret)
            .mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now)
        #expect(try await refusal(of: token)?.code == .unauthorized)
    }

    @Test("an unsigned token (alg none) is unauthorized, with or without a signature segment")
    func algNone() async throws {
        let payload = TestTokens.encode(json: TestTokens.json(TestTokens.claims()))
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"NONE"}"#] {
            let unsigned = TestTokens.encode(json: header) + "." + payload + "."
            let error = try await refusal(of: unsigned)
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("alg: none") == true)
            // A none header in front of a real HS256 signature is refused as well.
            let real = try await TestTokens.hs256Issuer().sign(TestTokens.claims())
            let relabelled = TestTokens.replacing(segment: 0, of: real, with: TestTokens.encode(json: header))
            #expect(try await refusal(of: relabelled)?.code == .unauthorized)
        }
    }

    @Test("an algorithm the verifier is not configured for is unauthorized")
    func algorithmMismatch() async throws {
        let hs256 = try await TestTokens.hs256Issuer().mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now)
        let es256 = try await TestTokens.es256Issuer().mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now)

        let toES256Only = try await refusal(of: hs256, verifier: try await TestTokens.es256Verifier())
        #expect(toES256Only?.code == .unauthorized)
        #expect(toES256Only?.message.contains("accepts ES256") == true)
        #expect(try await refusal(of: es256, verifier: try await TestTokens.hs256Verifier())?.code == .unauthorized)

        // No algorithm substitution: an HMAC signature relabelled ES256 meets the ES256 key.
        let both = try await TokenVerifier(hs256Secret: TestTokens.secret, es256PublicKeyPEM: TestTokens.es256.publicKeyPEM)
        let relabelled = TestTokens.replacing(segment: 0, of: hs256, with: TestTokens.encode(json: #"{"alg":"ES256","typ":"JWT"}"#))
        #expect(try await refusal(of: relabelled, verifier: both)?.code == .unauthorized)
        for algorithm in ["HS384", "HS512", "RS256", "hs256", "EdDSA"] {
            let header = TestTokens.encode(json: #"{"alg":"\#(algorithm)","typ":"JWT"}"#)
            #expect(try await refusal(of: TestTokens.replacing(segment: 0, of: hs256, with: header), verifier: both)?.code
                    == .unauthorized, "\(algorithm)")
        }
    }

    @Test("a required claim missing is unauthorized", arguments: ["tenant_id", "sub", "exp"])
    func missingClaim(_ claim: String) async throws {
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims(removing: [claim]))
        let error = try await refusal(of: token)
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("'\(claim)'") == true)
    }

    @Test("a wrongly typed or malformed claim is unauthorized", arguments: [
        ("tenant_id", JSONValue.int(7)), ("tenant_id", ""), ("tenant_id", "acme corp"), ("tenant_id", "ÄCME"),
        ("sub", .null), ("sub", .string(String(repeating: "u", count: 129))), ("device_id", .array(["d1"])),
        ("device_id", "phone/1"), ("roles", "operator"), ("roles", [1]), ("roles", ["operator", .null]),
        ("exp", "1767229200"), ("exp", .bool(true)), ("nbf", "soon"), ("iat", .object([:])),
        ("iss", 5), ("aud", ["mobilesync", 5]),
    ] as [(String, JSONValue)])
    func malformedClaim(_ claim: String, _ value: JSONValue) async throws {
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims([claim: value]))
        let error = try await refusal(of: token)
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("'\(claim)'") == true)
    }

    @Test("the longest allowed id is accepted")
    func longestId() async throws {
        let id = String(repeating: "a", count: Int(Limits.maxRecordIdLength))
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims(["tenant_id": .string(id), "sub": .string(id)]))
        #expect(try await TestTokens.hs256Verifier().verify(token, now: TestTokens.clock(TestTokens.now)).tenant == id)
    }

    @Test("a wrong issuer or audience is unauthorized when the verifier expects one")
    func issuerAndAudience() async throws {
        let verifier = try await TestTokens.hs256Verifier(issuer: "https://auth.example", audience: "mobilesync")
        let issuer = try await TestTokens.hs256Issuer()
        for claims in [
            TestTokens.claims(["aud": "mobilesync"]),
            TestTokens.claims(["iss": "https://evil.example", "aud": "mobilesync"]),
            TestTokens.claims(["iss": "https://auth.example"]),
            TestTokens.claims(["iss": "https://auth.example", "aud": ["other"]]),
        ] {
            #expect(try await refusal(of: try await issuer.sign(claims), verifier: verifier)?.code == .unauthorized)
        }
        let good = try await issuer.mint(tenant: "acme", user: "alice", nowMilliseconds: TestTokens.now,
                                         issuer: "https://auth.example", audience: "mobilesync")
        #expect(try await verifier.verify(good, now: TestTokens.clock(TestTokens.now)).user == "alice")
    }

    @Test("garbage is unauthorized", arguments: [
        "", "abc", "a.b", "a.b.c.d", "...", "!!!.???.###", "eyJhbGciOiJIUzI1NiJ9..sig",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0=.c2ln", "bm90IGpzb24.eyJzdWIiOiJ4In0.c2ln",
        "WzFd.eyJzdWIiOiJ4In0.c2ln", "e30.eyJzdWIiOiJ4In0.c2ln", "eyJhbGciOjV9.eyJzdWIiOiJ4In0.c2ln",
        "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", String(repeating: "a", count: 9000),
    ])
    func garbage(_ token: String) async throws {
        #expect(try await refusal(of: token)?.code == .unauthorized)
    }

    @Test("a header with critical extensions is unauthorized")
    func criticalHeader() async throws {
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims())
        let header = TestTokens.encode(json: #"{"alg":"HS256","crit":["exp"],"exp":1}"#)
        let error = try await refusal(of: TestTokens.replacing(segment: 0, of: token, with: header))
        #expect(error?.message.contains("crit") == true)
    }
}
