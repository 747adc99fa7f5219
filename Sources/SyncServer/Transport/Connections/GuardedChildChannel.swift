import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with WebSocket upgrade, with the connection guards in front: the
/// connection cap, the deadline for the first request head, a `400` for requests the parser
/// cannot read (issue: idle and half-open connections), the frame-header guard (unmasked and
/// oversized client frames), and the rate-limit gate when there is one.
struct GuardedChildChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel
    let counter: ConnectionCounter
    let requestHeadTimeout: TimeAmount
    /// Refuses a flooding device's requests before routing; `nil` leaves that to the routes.
    let gate: RateLimitGate.Settings?
    /// What the frame-header guard refuses once the connection is a WebSocket.
    let frames: FrameHeaderGuard.Settings

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionLimitHandler(counter: counter), position: .first)
            try channel.pipeline.syncOperations.addHandler(RequestHeadTimeoutHandler(timeout: requestHeadTimeout), position: .last)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            if let gate {
                try channel.pipeline.syncOperations.addHandler(RateLimitGate(gate), position: .after(decoder))
            }
            try channel.pipeline.syncOperations.addHandler(MalformedRequestHandler(), position: .after(decoder))
            // Plain bytes (after TLS, when TLS is on), right where the WebSocket decoder takes over.
            try channel.pipeline.syncOperations.addHandler(FrameHeaderGuard(frames), position: .before(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
