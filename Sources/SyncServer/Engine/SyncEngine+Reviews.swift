public import SyncProtocol

extension SyncEngine {
    public func reviews(_ principal: Principal, status: ReviewStatus?, collection: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> ReviewPage {
        try requireOperator(principal)
        let pageSize = limit ?? Limits.defaultListPage
        guard (1...Limits.maxListPage).contains(pageSize) else {
            throw ServiceError(.invalidMessage, "limit must be between 1 and \(Limits.maxListPage)",
                               issues: [WireIssue(path: "limit", message: "must be between 1 and \(Limits.maxListPage)")])
        }
        let items = try await storage {
            try await store.reviews(tenant: principal.tenant, status: status, collection: collection, after: cursor, limit: Int(pageSize) + 1)
        }
        let page = Array(items.prefix(Int(pageSize)))
        let hasMore = items.count > page.count
        return ReviewPage(reviews: page, nextCursor: hasMore ? page.last?.reviewId : nil, hasMore: hasMore)
    }

    public func review(_ principal: Principal, id: String) async throws(ServiceError) -> ReviewItem {
        try requireOperator(principal)
        let item = try await storage { try await store.review(tenant: principal.tenant, id: id) }
        guard let item else { throw ServiceError(.notFound, "no such review") }
        return item
    }

    public func resolveReview(_ principal: Principal, id: String, _ request: ResolveReviewRequest) async throws(ServiceError) -> ReviewResolution {
        try requireOperator(principal)
        if (request.choice == .custom) != (request.fields != nil) {
            throw ServiceError(.invalidMessage, "fields are required with choice custom and refused otherwise",
                               issues: [WireIssue(path: "fields", message: request.choice == .custom ? "is required" : "is only allowed with custom")])
        }
        let tenant = principal.tenant
        let now = clock.now(tenant: tenant)
        let policies = try await policies(tenant: tenant)
        let resolution: ReviewResolution = try await storage {
            try await sequencer.withLock(tenant) { [store, configuration] in
                let (resolution, change) = try await store.write(tenant: tenant) { transaction in
                    try await ReviewResolver(tenant: tenant, operator: principal.user, reviewId: id, request: request, now: now,
                                             policies: policies, configuration: configuration).apply(in: transaction)
                }
                await self.deliver(tenant: tenant, [change], originSession: nil)
                return resolution
            }
        }
        return resolution
    }
}
