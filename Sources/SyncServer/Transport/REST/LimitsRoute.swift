import Hummingbird
import SyncProtocol

/// `getLimits` (LIM-5): the limits `welcome` announces, for clients that use only REST.
struct LimitsRoute: Sendable {
    let limits: ServerLimits
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.getLimits.path)) { request, _ in
            _ = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            return Response.json(limits)
        }
    }
}
