import NIOCore
import NIOWebSocket

/// Near the head of every connection's pipeline: once the connection was upgraded to a WebSocket
/// (the WebSocket frame decoder is in the pipeline), fails it with close code 1002 when the
/// client sends an unmasked frame (RFC 6455 section 5.1; the registry's 1002 says so), before the
/// frame reaches the session. Bytes received before the upgrade completed pass unchecked.
final class UnmaskedFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var upgraded = false
    private var failed = false
    private var scanner = FrameMaskScanner()

    /// A server close frame (unmasked) with code 1002, Protocol Error.
    private static let protocolErrorClose: [UInt8] = [0x88, 0x02, 0x03, 0xEA]

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        if !upgraded {
            upgraded = (try? context.pipeline.syncOperations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)) != nil
        }
        if upgraded {
            let buffer = unwrapInboundIn(data)
            guard scanner.scan(buffer.readableBytesView) else {
                failed = true
                let close = context.channel.allocator.buffer(bytes: Self.protocolErrorClose)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
                return
            }
        }
        context.fireChannelRead(data)
    }
}
