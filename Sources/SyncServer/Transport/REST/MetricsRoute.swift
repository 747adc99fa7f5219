import HTTPTypes
import Hummingbird
import NIOCore
import SyncProtocol

/// `GET /metrics`: the Prometheus text exposition format 0.0.4, without authentication (HEALTH-6).
struct MetricsRoute: Sendable {
    let metrics: SyncMetrics

    /// The media type of the text format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<SyncRequestContext>) {
        router.get(RouterPath(Endpoints.metrics.path)) { _, _ in
            Response(status: .ok, headers: [.contentType: Self.contentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: await metrics.scrape())))
        }
    }
}
