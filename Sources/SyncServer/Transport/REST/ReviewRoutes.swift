import Hummingbird
import SyncProtocol

/// The manual-review endpoints, for operators only (AUTH-6).
struct ReviewRoutes: Sendable {
    let service: any SyncService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.listReviews.path)) { request, _ in try await listReviews(request) }
        router.get(RouterPath(Endpoints.getReview.path)) { request, context in
            try await getReview(request, id: context.parameters.get("review_id") ?? "")
        }
        router.post(RouterPath(Endpoints.resolveReview.path)) { request, context in
            try await resolveReview(request, id: context.parameters.get("review_id") ?? "")
        }
    }

    func listReviews(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        var query = QueryReader(request)
        let status = query.value("status", as: ReviewStatus.self)
        let collection = query.string("collection", pattern: ParameterPattern.collection)
        let cursor = query.string("cursor", minLength: 1, maxLength: Limits.maxCursorLength, pattern: ParameterPattern.cursor)
        let limit = query.integer("limit", minimum: 1, maximum: Limits.maxListPage)
        try query.finish()
        return .json(try await service.reviews(principal, status: status, collection: collection, cursor: cursor, limit: limit))
    }

    func getReview(_ request: Request, id: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        return .json(try await service.review(principal, id: try Self.validReviewId(id)))
    }

    func resolveReview(_ request: Request, id: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        let id = try Self.validReviewId(id)
        let decision = try await reader.body(ResolveReviewRequest.self, of: request)
        return .json(try await service.resolveReview(principal, id: id, decision))
    }

    /// The `{review_id}` path parameter; an id that cannot exist is answered like a missing review.
    static func validReviewId(_ id: String) throws(ServiceError) -> String {
        var issues: [WireIssue] = []
        guard let valid = QueryReader.validated(id, name: "review_id", minLength: 1, maxLength: 64, pattern: ParameterPattern.resourceId, into: &issues) else {
            throw ServiceError(.notFound, "no such review")
        }
        return valid
    }
}
