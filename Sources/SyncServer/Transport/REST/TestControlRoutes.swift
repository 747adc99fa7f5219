import Hummingbird
import SyncProtocol

/// The `test-control` endpoints (TEST-1..6), registered only when the feature is enabled; any
/// valid token of the tenant may use them (TEST-2). A reset also deletes the tenant's uploads and
/// files, bytes included, and restores the server's rate limits for it (TEST-3).
struct TestControlRoutes: Sendable {
    let service: any SyncService
    let uploads: (any UploadService)?
    let reader: RequestReader
    let limiter: RateLimiter

    func register(on router: Router<SyncRequestContext>) {
        router.post(RouterPath(Endpoints.resetTenant.path)) { request, _ in
            let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            try await uploads?.resetTenant(principal.tenant)
            limiter.reset(tenant: principal.tenant)
            return Response.json(try await service.resetTenant(principal))
        }
        router.post(RouterPath(Endpoints.seedRecords.path)) { request, _ in
            let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            let seed = try await reader.body(SeedRecordsRequest.self, of: request)
            return Response.json(try await service.seedRecords(principal, seed))
        }
        router.post(RouterPath(Endpoints.setClock.path)) { request, _ in
            let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            let clock = try await reader.body(ClockRequest.self, of: request)
            return Response.json(try await service.setClock(principal, clock))
        }
        router.post(RouterPath(Endpoints.setRateLimit.path)) { request, _ in
            let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            let limit = try await reader.body(RateLimit.self, of: request)
            limiter.override(tenant: principal.tenant, limit)
            return Response.json(limit)
        }
        router.get(RouterPath(Endpoints.getClock.path)) { request, _ in
            let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: nil)
            return Response.json(try await service.clock(principal))
        }
    }
}
