public import SyncProtocol

extension SyncEngine {
    public func policies(_ principal: Principal) async throws(ServiceError) -> TenantPolicies {
        try await policies(tenant: principal.tenant)
    }

    public func setDefaultPolicy(_ principal: Principal, _ request: DefaultPolicyRequest) async throws(ServiceError) -> TenantPolicies {
        try requireOperator(principal)
        return try await changePolicies(principal.tenant) { $0.defaultStrategy = request.strategy }
    }

    public func setCollectionPolicy(_ principal: Principal, collection: String, _ policy: CollectionPolicy) async throws(ServiceError) -> TenantPolicies {
        try requireOperator(principal)
        for (field, order) in policy.escalation ?? [:] where order.count < 2 || Set(order).count != order.count {
            throw ServiceError(.invalidMessage, "escalation order of '\(field)' needs at least 2 distinct values",
                               issues: [WireIssue(path: "escalation.\(field)", message: "needs at least 2 distinct values")])
        }
        if let skew = policy.maxClockSkewMs, skew > configuration.maxClockSkewMs {
            throw ServiceError(.invalidMessage, "max_clock_skew_ms may only lower the server's \(configuration.maxClockSkewMs)",
                               issues: [WireIssue(path: "max_clock_skew_ms", message: "greater than \(configuration.maxClockSkewMs)")])
        }
        return try await changePolicies(principal.tenant) { $0.collections[collection] = policy }
    }

    public func deleteCollectionPolicy(_ principal: Principal, collection: String) async throws(ServiceError) -> TenantPolicies {
        try requireOperator(principal)
        let current = try await policies(tenant: principal.tenant)
        guard current.collections[collection] != nil else { throw ServiceError(.notFound, "no policy for this collection") }
        return try await changePolicies(principal.tenant) { $0.collections[collection] = nil }
    }

    /// Reads, changes and stores the tenant's policies, and drops the cached copy at once (POL-3).
    private func changePolicies(_ tenant: String, _ change: @Sendable (inout TenantPolicies) -> Void) async throws(ServiceError) -> TenantPolicies {
        let updated = try await storage {
            try await sequencer.withLock(tenant) { [store] in
                var policies = try await store.policies(tenant: tenant) ?? .initial
                change(&policies)
                try await store.setPolicies(tenant: tenant, policies)
                return policies
            }
        }
        policyCache.invalidate(tenant: tenant)
        return updated
    }
}
