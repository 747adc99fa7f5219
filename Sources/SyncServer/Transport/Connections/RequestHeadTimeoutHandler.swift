import NIOCore

/// Closes a connection whose first request head (everything up to the blank line) has not
/// arrived within the timeout: idle sockets and heads sent a byte at a time before the WebSocket
/// upgrade or the first request, where Hummingbird's own idle timeout is not yet in the
/// pipeline. Once the head is complete it removes itself; from then on Hummingbird's idle timeout
/// covers keep-alive connections and the WebSocket heartbeat covers sessions.
final class RequestHeadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    /// The last bytes of what was read so far, to find a blank line split across reads.
    private var tail: [UInt8] = []
    private var complete = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !complete, Self.endsHead(unwrapInboundIn(data).readableBytesView, after: &tail) {
            complete = true
            deadline?.cancel()
            deadline = nil
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !complete else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            bound.value.close(promise: nil)
        }
    }

    /// Whether `bytes`, read after the bytes whose last three are `tail`, hold `\r\n\r\n`;
    /// `tail` becomes the last three bytes read.
    static func endsHead(_ bytes: ByteBufferView, after tail: inout [UInt8]) -> Bool {
        var window = tail
        for byte in bytes {
            window.append(byte)
            if window.count > 4 { window.removeFirst() }
            if window == [13, 10, 13, 10] { return true }
        }
        tail = Array(window.suffix(3))
        return false
    }
}
