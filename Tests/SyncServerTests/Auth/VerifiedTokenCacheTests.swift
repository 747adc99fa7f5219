@testable import SyncServer
import Synchronization
import Testing

/// `VerifiedTokenCache`: a kept token skips verification only while it would be accepted anyway.
@Suite("Verified token cache")
struct VerifiedTokenCacheTests {
    /// Counts the verifications the cache asks for.
    final class Verifications: Sendable {
        let count = Mutex(0)
        func entry(expiresAt: Int64 = 10_000, validFrom: Int64? = nil, device: String = "phone") -> VerifiedTokenCache.Entry {
            count.withLock { $0 += 1 }
            return .init(principal: Principal(tenant: "acme", user: "u", device: device, expiresAt: expiresAt), validFrom: validFrom)
        }
        var made: Int { count.withLock { $0 } }
    }

    @Test("A kept token is answered without verifying again; another token, even one character off, is verified")
    func hits() async throws {
        let cache = VerifiedTokenCache(), verifications = Verifications()
        for _ in 0..<3 {
            let principal = try await cache.principal(for: "token-a", now: { _ in 5_000 }) { verifications.entry() }
            #expect(principal.device == "phone")
        }
        #expect(verifications.made == 1)
        _ = try await cache.principal(for: "token-b", now: { _ in 5_000 }) { verifications.entry(device: "laptop") }
        #expect(verifications.made == 2)
        #expect(try await cache.principal(for: "token-a", now: { _ in 5_000 }) { verifications.entry(device: "wrong") }.device == "phone")
    }

    @Test("At and after expiry, and before nbf (a clock moved back), the token is verified again")
    func validity() async throws {
        let cache = VerifiedTokenCache(), verifications = Verifications()
        _ = try await cache.principal(for: "t", now: { _ in 5_000 }) { verifications.entry(expiresAt: 10_000, validFrom: 4_000) }
        _ = try await cache.principal(for: "t", now: { _ in 9_999 }) { verifications.entry() }
        _ = try await cache.principal(for: "t", now: { _ in 4_000 }) { verifications.entry() }
        #expect(verifications.made == 1, "valid from 4000 up to 9999")
        await #expect(throws: ServiceError.self) {
            _ = try await cache.principal(for: "t", now: { _ in 10_000 }) { () throws(ServiceError) -> VerifiedTokenCache.Entry in
                throw ServiceError(.tokenExpired, "expired")
            }
        }
        let early = VerifiedTokenCache(), earlyVerifications = Verifications()
        _ = try await early.principal(for: "t", now: { _ in 5_000 }) { earlyVerifications.entry(validFrom: 4_000) }
        _ = try await early.principal(for: "t", now: { _ in 3_999 }) { earlyVerifications.entry(validFrom: 4_000) }
        #expect(earlyVerifications.made == 2)
    }

    @Test("A refused token is never kept")
    func refusalsNotKept() async throws {
        let cache = VerifiedTokenCache()
        let attempts = Mutex(0)
        for _ in 0..<3 {
            await #expect(throws: ServiceError.self) {
                _ = try await cache.principal(for: "forged", now: { _ in 0 }) { () throws(ServiceError) -> VerifiedTokenCache.Entry in
                    attempts.withLock { $0 += 1 }
                    throw ServiceError(.unauthorized, "bad signature")
                }
            }
        }
        #expect(attempts.withLock { $0 } == 3)
        #expect(cache.count == 0)
    }

    @Test("Memory stays within two generations; tokens in use survive a rollover", arguments: [1, 2, 100])
    func bounded(capacity: Int) async throws {
        let cache = VerifiedTokenCache(capacity: capacity), verifications = Verifications()
        for index in 0..<(capacity * 10 + 3) {
            _ = try await cache.principal(for: "other-\(index)", now: { _ in 0 }) { verifications.entry() }
            _ = try await cache.principal(for: "in-use", now: { _ in 0 }) { verifications.entry() }
            #expect(cache.count <= 2 * capacity)
        }
        // The token in use was verified again at most when a rollover came between two of its
        // uses with the other tokens filling both generations; never on every use.
        #expect(verifications.made < capacity * 10 + 3 + (capacity * 10 + 3))
        let inUseVerifications = verifications.made - (capacity * 10 + 3)
        #expect(inUseVerifications <= (capacity == 1 ? capacity * 10 + 3 : 1))
    }
}
