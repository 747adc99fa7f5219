import Synchronization
public import SyncProtocol

/// Tenant policies read from the database, kept in process for at most the spec's TTL
/// (`policy_cache_ttl_seconds`) and dropped at once when the tenant's policies change.
public final class PolicyCache: Sendable {
    private struct Entry {
        let policies: TenantPolicies
        let readAt: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bumped by every invalidation, so a read that started before a change cannot put back
    /// the old policies after it.
    private let generations = Mutex<[String: Int]>([:])
    private let ttlMilliseconds: Int64

    /// Creates a cache whose entries live `ttlMilliseconds`.
    public init(ttlMilliseconds: Int64 = Limits.policyCacheTtlSeconds * 1000) {
        self.ttlMilliseconds = ttlMilliseconds
    }

    /// The cached policies of `tenant` if read less than the TTL before `now`.
    public func get(tenant: String, now: Int64) -> TenantPolicies? {
        entries.withLock { entries in
            guard let entry = entries[tenant] else { return nil }
            if now - entry.readAt >= ttlMilliseconds || now < entry.readAt {
                entries.removeValue(forKey: tenant)
                return nil
            }
            return entry.policies
        }
    }

    /// The tenant's generation; pass it to `put` with policies read after taking it.
    public func generation(tenant: String) -> Int {
        generations.withLock { $0[tenant] ?? 0 }
    }

    /// Remembers policies read from the database, unless they changed since `generation` was taken.
    public func put(tenant: String, _ policies: TenantPolicies, now: Int64, generation: Int) {
        generations.withLock { generations in
            guard (generations[tenant] ?? 0) == generation else { return }
            entries.withLock { $0[tenant] = Entry(policies: policies, readAt: now) }
        }
    }

    /// Forgets every tenant's policies (when changes announced by other nodes may have been missed).
    public func invalidateAll() {
        generations.withLock { generations in
            entries.withLock { entries in
                for tenant in entries.keys { generations[tenant, default: 0] += 1 }
                entries.removeAll()
            }
        }
    }

    /// Forgets the tenant's policies (on change, locally or announced by another node).
    public func invalidate(tenant: String) {
        generations.withLock { generations in
            generations[tenant, default: 0] += 1
            _ = entries.withLock { $0.removeValue(forKey: tenant) }
        }
    }
}

extension TenantPolicies {
    /// What a tenant has before it sets anything: `server_wins`, no collection policies.
    public static let initial = TenantPolicies(defaultStrategy: .serverWins, collections: [:])

    /// The policy that decides conflicts in `collection` (CONF-2).
    public func policy(for collection: String) -> CollectionPolicy {
        collections[collection] ?? CollectionPolicy(strategy: defaultStrategy)
    }
}
