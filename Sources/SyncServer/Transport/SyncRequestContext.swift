import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of every route, REST and WebSocket upgrade alike (one router serves both).
struct SyncRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<SyncRequestContext>
    /// The connection, to refuse an upgrade with a problem body and to watch a session's activity.
    let channel: any Channel
    /// Set by the upgrade checks for the session that the upgrade opens.
    var principal: Principal?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        webSocket = WebSocketHandlerReference()
        channel = source.channel
        principal = nil
    }
}
