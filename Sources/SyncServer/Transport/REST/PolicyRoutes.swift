import Hummingbird
import SyncProtocol

/// The conflict-policy endpoints: any token of the tenant reads them, operators change them (AUTH-6).
struct PolicyRoutes: Sendable {
    let service: any SyncService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.getPolicies.path)) { request, _ in try await getPolicies(request) }
        router.put(RouterPath(Endpoints.setDefaultPolicy.path)) { request, _ in try await setDefaultPolicy(request) }
        router.put(RouterPath(Endpoints.setCollectionPolicy.path)) { request, context in
            try await setCollectionPolicy(request, collection: context.parameters.get("collection") ?? "")
        }
        router.delete(RouterPath(Endpoints.deleteCollectionPolicy.path)) { request, context in
            try await deleteCollectionPolicy(request, collection: context.parameters.get("collection") ?? "")
        }
    }

    func getPolicies(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: .operator)
        return .json(try await service.policies(principal))
    }

    func setDefaultPolicy(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        let body = try await reader.body(DefaultPolicyRequest.self, of: request)
        return .json(try await service.setDefaultPolicy(principal, body))
    }

    func setCollectionPolicy(_ request: Request, collection: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        let collection = try Self.validCollection(collection)
        let policy = try await reader.body(CollectionPolicy.self, of: request)
        return .json(try await service.setCollectionPolicy(principal, collection: collection, policy))
    }

    func deleteCollectionPolicy(_ request: Request, collection: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        let collection = try Self.validCollection(collection)
        return .json(try await service.deleteCollectionPolicy(principal, collection: collection))
    }

    /// The `{collection}` path parameter, refused with `invalid_message` when it is not a collection name.
    static func validCollection(_ collection: String) throws(ServiceError) -> String {
        var issues: [WireIssue] = []
        guard let valid = QueryReader.validated(collection, name: "collection", pattern: ParameterPattern.collection, into: &issues) else {
            throw ServiceError(.invalidMessage, "the path does not name a valid collection", issues: issues)
        }
        return valid
    }
}
