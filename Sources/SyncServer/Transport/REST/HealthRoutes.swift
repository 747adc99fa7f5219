import Hummingbird
import SyncProtocol

/// Device health and tenant analytics (`getDeviceHealth`, `listDeviceHealth`,
/// `getTenantAnalytics`). Any valid token reaches `getDeviceHealth`, where the service allows a
/// device its own health and operators every device's; the lists need the operator role (AUTH-6).
struct HealthRoutes: Sendable {
    let service: any SyncService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.getDeviceHealth.path)) { request, context in
            try await getDeviceHealth(request, deviceId: context.parameters.get("device_id") ?? "")
        }
        router.get(RouterPath(Endpoints.listDeviceHealth.path)) { request, _ in try await listDeviceHealth(request) }
        router.get(RouterPath(Endpoints.getTenantAnalytics.path)) { request, _ in try await getTenantAnalytics(request) }
    }

    func getDeviceHealth(_ request: Request, deviceId: String) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .anyToken, limitedAs: .operator)
        var issues: [WireIssue] = []
        // A device id that cannot exist names no device: answered like an unknown one.
        guard let deviceId = QueryReader.validated(deviceId, name: "device_id", minLength: 1, maxLength: Limits.maxRecordIdLength,
                                                   pattern: ParameterPattern.deviceId, into: &issues) else {
            throw ServiceError(.notFound, "no device with this id has connected or pushed")
        }
        return .json(try await service.deviceHealth(principal, deviceId: deviceId))
    }

    func listDeviceHealth(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        var query = QueryReader(request)
        let alertLevel = query.value("alert_level", as: AlertLevel.self)
        let cursor = query.string("cursor", minLength: 1, maxLength: Limits.maxCursorLength, pattern: ParameterPattern.cursor)
        let limit = query.integer("limit", minimum: 1, maximum: Limits.maxListPage)
        try query.finish()
        return .json(try await service.deviceHealthList(principal, alertLevel: alertLevel, cursor: cursor, limit: limit))
    }

    func getTenantAnalytics(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        var query = QueryReader(request)
        let from = query.integer("from", minimum: 0)
        let to = query.integer("to", minimum: 0)
        try query.finish()
        return .json(try await service.tenantAnalytics(principal, from: from, to: to))
    }
}
