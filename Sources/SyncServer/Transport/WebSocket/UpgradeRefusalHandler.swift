import NIOCore
import NIOSSL

/// Replaces the empty 400 that HummingbirdWebSocket writes when an upgrade is not accepted with
/// the spec's answer: the refusal's status and RFC 9457 body (WS-1, WS-2). Installed at the front
/// of the pipeline (behind TLS, when the connection has it) while the upgrade is being refused, it writes the prepared bytes once and
/// swallows whatever the library writes after them; the library then closes the connection.
final class UpgradeRefusalHandler: ChannelOutboundHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let response: ByteBuffer
    private var replaced = false

    init(response: ByteBuffer) {
        self.response = response
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !replaced else {
            promise?.succeed(())
            return
        }
        replaced = true
        context.write(wrapOutboundOut(.byteBuffer(response)), promise: promise)
    }

    /// Makes `channel` answer its upgrade request with `response` instead.
    static func install(_ response: ByteBuffer, on channel: any Channel) async {
        try? await channel.eventLoop.submit {
            let operations = channel.pipeline.syncOperations
            let position: ChannelPipeline.SynchronousOperations.Position = if let tls = try? operations.handler(type: NIOSSLServerHandler.self) {
                .after(tls)
            } else {
                .first
            }
            try operations.addHandler(UpgradeRefusalHandler(response: response), position: position)
        }.get()
    }
}
