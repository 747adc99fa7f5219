import Foundation
import SyncProtocol
@testable import SyncServer
import SyncTestSupport
import Testing

/// A JWT fuzzer kept as a test: thousands of tokens from a fixed seed, correctly signed ones with
/// absurd claims (the dangerous kind: they pass the signature) and broken ones (structure,
/// base64, JSON, algorithm, signature). Every token must be accepted or refused with
/// `unauthorized` or `token_expired`: never a crash, never another code, and the whole run
/// bounded in time.
@Suite struct TokenFuzzTests {
    /// Deterministic: the same tokens every run.
    typealias Generator = SeededGenerator

    /// A claim value of a random kind, including the ones that broke verifiers before: numbers at
    /// and beyond Int64 and Double limits, fractions, negatives, huge strings, nesting.
    static func value(_ random: inout Generator, depth: Int = 0) -> JSONValue {
        let numbers: [JSONValue] = [.int(0), .int(-1), .int(Int64.max), .int(Int64.min), .int(9_223_372_036_854_775), .int(9_300_000_000_000_000),
                                    .double(1e300), .double(-1e300), .double(.greatestFiniteMagnitude), .double(1.5), .double(-0.0),
                                    .double(9.3e15), .double(4.9e-324), .int(1_767_229_200), .int(253_402_300_800)]
        switch Int.random(in: 0..<9, using: &random) {
        case 0, 1: return numbers.randomElement(using: &random)!
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &random))
        case 3: return .string(String(repeating: "x", count: [0, 1, 64, 65, 128, 129, 10_000].randomElement(using: &random)!))
        case 4: return .string(["acme", "", "\u{0}", "../../etc", "é", "🦊", " alice ", "operator"].randomElement(using: &random)!)
        case 5: return .bool(Bool.random(using: &random))
        case 6: return .null
        case 7 where depth < 3: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default: return depth < 3 ? .object(["k": value(&random, depth: depth + 1)]) : .int(1)
        }
    }

    /// Valid claims with one to four claims replaced or removed at random.
    static func absurdClaims(_ random: inout Generator) -> JSONObject {
        var claims = TestTokens.claims()
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let name = ["exp", "nbf", "iat", "tenant_id", "sub", "device_id", "roles", "iss", "aud", "jti"].randomElement(using: &random)!
            if Int.random(in: 0..<6, using: &random) == 0 { claims[name] = nil } else { claims[name] = value(&random) }
        }
        return claims
    }

    /// A token broken in its structure: cut, extended, re-encoded, re-headed or with bytes flipped.
    static func brokenToken(from token: String, _ random: inout Generator) -> String {
        var segments = TestTokens.segments(token)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return String(token.prefix(Int.random(in: 0..<token.count, using: &random)))
        case 1: return token + "." + segments[1]
        case 2: segments[0] = TestTokens.encode(json: ["{\"alg\":\"none\"}", "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"alg\":\"RS256\"}", "{}", "[]", "null", "{\"alg\":\"HS256\",\"alg\":\"ES256\"}"].randomElement(using: &random)!)
        case 3: segments[1] = TestTokens.encode(json: ["{", "[]", "null", "1e999999", "{\"exp\":1e999999}", "\"x\"", String(repeating: "[", count: 10_000)].randomElement(using: &random)!)
        case 4: segments[2] = String(segments[2].reversed())
        case 5: segments[Int.random(in: 0..<3, using: &random)] = String((0..<Int.random(in: 0..<200, using: &random)).map { _ in
                Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &random))) })
        case 6: segments[1] += String(repeating: "A", count: Int.random(in: 1...3, using: &random))
        default:
            var bytes = Array(token.utf8)
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return segments.joined(separator: ".")
    }

    @Test func thousandsOfSignedAbsurdAndBrokenTokensAreAcceptedOrRefusedAsUnauthorized() async throws {
        let verifier = try await TestTokens.hs256Verifier(leeway: 60)
        let issuer = try await TestTokens.hs256Issuer()
        var random = Generator(state: 20_261_206)
        var outcomes: [String: Int] = [:]
        let started = ContinuousClock.now
        for round in 0..<3000 {
            let signed = try await issuer.sign(Self.absurdClaims(&random))
            let token = round % 3 == 2 ? Self.brokenToken(from: signed, &random) : signed
            do {
                let principal = try await verifier.verify(token, now: TestTokens.clock(TestTokens.now))
                #expect(!principal.tenant.isEmpty && !principal.user.isEmpty)
                outcomes["accepted", default: 0] += 1
            } catch {
                #expect([ErrorCode.unauthorized, .tokenExpired].contains(error.code), "\(error.code): \(error.message)")
                #expect(!error.message.contains(token), "a refusal echoed the token")
                outcomes[error.code.rawValue, default: 0] += 1
            }
        }
        let elapsed = ContinuousClock.now - started
        print("JWT fuzzer: 3000 tokens in \(elapsed): \(outcomes.sorted { $0.key < $1.key })")
        #expect(outcomes["unauthorized", default: 0] > 1000, "the fuzzer should mostly produce refusals: \(outcomes)")
        #expect(elapsed < .seconds(60), "3000 verifications must not take \(elapsed)")
    }
}
