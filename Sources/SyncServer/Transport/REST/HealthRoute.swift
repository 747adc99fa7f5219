import Hummingbird
import SyncProtocol

/// `GET /health`: the liveness and readiness probe, without authentication.
struct HealthRoute: Sendable {
    let serverVersion: String
    let databaseStatus: @Sendable () async -> ServiceStatus

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.health.path)) { _, _ in await health() }
    }

    func health() async -> Response {
        let database = await databaseStatus()
        let status: ServiceStatus = database == .ok ? .ok : database
        let health = HealthStatus(status: status, version: serverVersion, protocolVersion: ProtocolInfo.version, database: database)
        return .json(health, status: status == .unavailable ? .serviceUnavailable : .ok)
    }
}
