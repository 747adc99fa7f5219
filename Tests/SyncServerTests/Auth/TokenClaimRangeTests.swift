import SyncProtocol
import SyncServer
import Testing

/// AUTH-4: date claims outside 0...253402300799 are refused, never a trap in the verifier.
@Suite("TokenVerifier: date claims at and beyond their range")
struct TokenClaimRangeTests {
    private static let latest: Int64 = 253_402_300_799

    private func verify(_ claims: JSONObject) async throws -> Result<Principal, ServiceError> {
        let token = try await TestTokens.hs256Issuer().sign(TestTokens.claims(claims))
        let verifier = try await TestTokens.hs256Verifier()
        do {
            return .success(try await verifier.verify(token, now: TestTokens.clock(TestTokens.now)))
        } catch {
            return .failure(error)
        }
    }

    @Test("an absurd exp, nbf or iat is unauthorized", arguments: [
        JSONValue.double(1e300), .int(9_300_000_000_000_000), .int(Int64.max), .int(Int64.min), .int(-1),
        .double(-0.5), .int(latest + 1), .double(Double(latest) + 0.5), .double(1.8e19),
    ])
    func outOfRange(_ value: JSONValue) async throws {
        for claim in ["exp", "nbf", "iat"] {
            guard case .failure(let error) = try await verify([claim: value]) else {
                Issue.record("\(claim) = \(value) was accepted")
                continue
            }
            #expect(error.code == .unauthorized)
            #expect(error.message.contains("'\(claim)'"))
        }
    }

    @Test("exp at the last second of the year 9999 is accepted, with an expiry that fits")
    func latestExpiry() async throws {
        let principal = try await verify(["exp": .int(Self.latest), "iat": .int(Self.latest)]).get()
        #expect(principal.expiresAt == Self.latest * 1000)
    }

    @Test("nbf at the latest second is accepted as a date and refused as not yet valid")
    func latestNotBefore() async throws {
        guard case .failure(let error) = try await verify(["nbf": .int(Self.latest)]) else {
            Issue.record("a token valid only in the year 9999 was accepted")
            return
        }
        #expect(error.code == .unauthorized)
        #expect(error.message.contains("not valid yet"))
    }

    @Test("exp of 0 is a valid date, and expired")
    func epoch() async throws {
        guard case .failure(let error) = try await verify(["exp": .int(0)]) else {
            Issue.record("an expired token was accepted")
            return
        }
        #expect(error.code == .tokenExpired)
    }
}
