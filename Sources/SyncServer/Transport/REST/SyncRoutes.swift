import HTTPTypes
import Hummingbird
import SyncProtocol

/// The REST forms of push, pull and acknowledgement (`pushBatch`, `pullChanges`, `ackCursor`,
/// `getCursor`); each needs a device token (AUTH-6).
struct SyncRoutes: Sendable {
    let service: any SyncService
    let reader: RequestReader

    func register(on router: Router<SyncRequestContext>) {
        router.post(RouterPath(Endpoints.pushBatch.path)) { request, _ in try await pushBatch(request) }
        router.get(RouterPath(Endpoints.pullChanges.path)) { request, _ in try await pullChanges(request) }
        router.post(RouterPath(Endpoints.ackCursor.path)) { request, _ in try await ackCursor(request) }
        router.get(RouterPath(Endpoints.getCursor.path)) { request, _ in try await getCursor(request) }
    }

    func pushBatch(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .push)
        let receivedAt = ContinuousClock.now
        let key: String
        let batch: PushRequest
        do {
            key = try RequestReader.idempotencyKey(of: request)
            batch = try await reader.body(PushRequest.self, of: request)
        } catch {
            service.pushRefused(principal, code: (error as? ServiceError)?.code ?? .invalidMessage, receivedAt: receivedAt)
            throw error
        }
        let result = try await RequestReceipt.bound(to: receivedAt) { () async throws(ServiceError) -> PushResult in
            try await service.push(principal, idempotencyKey: key, mutations: batch.mutations, sessionId: nil)
        }
        var headers = HTTPFields()
        if result.replayed {
            headers[HTTPField.Name(WireHeaders.idempotentReplayed)!] = "true"
        }
        return .json(result, headers: headers)
    }

    func pullChanges(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .pull)
        var query = QueryReader(request)
        let cursor = query.string("cursor", minLength: 1, maxLength: Limits.maxCursorLength, pattern: ParameterPattern.cursor)
        let limit = query.integer("limit", minimum: 1, maximum: Limits.maxPullPage)
        let collections = query.string("collections", maxLength: 4159, pattern: ParameterPattern.collectionList)
        try query.finish()
        let page = try await service.pull(
            principal, cursor: cursor, limit: limit,
            collections: collections.map { $0.split(separator: ",").map(String.init) }
        )
        return .json(page)
    }

    func ackCursor(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .pull)
        let ack = try await reader.body(AckRequest.self, of: request)
        return .json(try await service.acknowledge(principal, cursor: ack.cursor))
    }

    func getCursor(_ request: Request) async throws -> Response {
        let principal = try await reader.principal(of: request, needs: .device, limitedAs: .pull)
        return .json(try await service.acknowledgedCursor(principal))
    }
}
