import Crypto
import Synchronization

/// Tokens that verified recently, so that a device's next requests skip the signature and claim
/// checks: a JWT verification (parsing, HMAC or ECDSA, three JSON decodings) costs more than the
/// rest of a refused request, and a device sends the same token until it expires.
///
/// An entry answers only while its token would still be accepted at the tenant's current time
/// (`exp` and `nbf` with the leeway, against the test clock too); otherwise the token is verified
/// again, which gives a refusal its proper code. Only accepted tokens are kept, keyed by their
/// SHA-256 digest, so a forged or altered token never matches and memory is bounded by the entry
/// count whatever the tokens' length. Two generations of at most `capacity` entries each: when
/// the newer one fills up, the older one is dropped, so the tokens in use stay.
final class VerifiedTokenCache: Sendable {
    /// An accepted token: whom it names and from when it is valid.
    struct Entry: Sendable {
        /// The principal, with `expiresAt` (the end of validity, leeway included).
        let principal: Principal
        /// The first millisecond of validity (`nbf` less the leeway); `nil` without `nbf`.
        let validFrom: Int64?

        /// Whether the token is accepted at `now`, the tenant's time in milliseconds.
        func isValid(at now: Int64) -> Bool {
            guard let expiresAt = principal.expiresAt, now < expiresAt else { return false }
            return validFrom.map { now >= $0 } ?? true
        }
    }

    private struct Generations {
        var current: [SHA256Digest: Entry] = [:]
        var previous: [SHA256Digest: Entry] = [:]
    }

    private let state = Mutex(Generations())
    /// Most entries of one generation.
    let capacity: Int

    /// A cache of at most twice `capacity` tokens.
    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The principal of `token`: from the cache when it holds the token and the token is valid at
    /// `now(tenant)`, otherwise from `verify`, whose accepted tokens are kept.
    func principal(for token: String, now: (String) -> Int64,
                   verify: () async throws(ServiceError) -> Entry) async throws(ServiceError) -> Principal {
        if let principal = cachedPrincipal(for: token, now: now) { return principal }
        let entry = try await verify()
        keep(entry, for: Self.key(token))
        return entry.principal
    }

    /// The principal of `token` when the cache holds it and it is valid at `now(tenant)`;
    /// `nil` otherwise (the token may still be good: verify it). Never verifies, never waits.
    func cachedPrincipal(for token: String, now: (String) -> Int64) -> Principal? {
        guard let entry = lookup(Self.key(token)), entry.isValid(at: now(entry.principal.tenant)) else { return nil }
        return entry.principal
    }

    private static func key(_ token: String) -> SHA256Digest {
        SHA256.hash(data: Array(token.utf8))
    }

    /// How many tokens are kept, both generations together.
    var count: Int {
        state.withLock { $0.current.count + $0.previous.count }
    }

    private func lookup(_ key: SHA256Digest) -> Entry? {
        state.withLock { state in
            if let entry = state.current[key] { return entry }
            guard let entry = state.previous.removeValue(forKey: key) else { return nil }
            insert(entry, for: key, into: &state)
            return entry
        }
    }

    private func keep(_ entry: Entry, for key: SHA256Digest) {
        state.withLock { insert(entry, for: key, into: &$0) }
    }

    private func insert(_ entry: Entry, for key: SHA256Digest, into state: inout Generations) {
        if state.current[key] == nil, state.current.count >= capacity {
            state.previous = state.current
            state.current = [:]
        }
        state.current[key] = entry
    }
}
