import Hummingbird
import SyncProtocol

/// The conflict audit log endpoint (CONF-13), for operators only (AUTH-6).
struct AuditRoutes: Sendable {
    let service: any SyncService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.listAuditLog.path)) { request, _ in try await listAuditLog(request) }
    }

    func listAuditLog(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .operator, limitedAs: .operator)
        var query = QueryReader(request)
        let collection = query.string("collection", pattern: ParameterPattern.collection)
        let recordId = query.string("record_id", minLength: 1, maxLength: Limits.maxRecordIdLength, pattern: ParameterPattern.recordId)
        let cursor = query.string("cursor", minLength: 1, maxLength: Limits.maxCursorLength, pattern: ParameterPattern.cursor)
        let limit = query.integer("limit", minimum: 1, maximum: Limits.maxListPage)
        try query.finish()
        return .json(try await service.auditLog(principal, collection: collection, recordId: recordId, cursor: cursor, limit: limit))
    }
}
