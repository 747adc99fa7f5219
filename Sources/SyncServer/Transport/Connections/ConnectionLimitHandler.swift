import NIOCore

/// First in every connection's pipeline: admits it under the `ConnectionCounter`'s cap or closes
/// it before a byte is read, and releases its place when it closes.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let counter: ConnectionCounter
    private var state: State = .new

    private enum State {
        case new
        case counted
        case refused
        case released
    }

    init(counter: ConnectionCounter) {
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        if state == .counted { context.fireChannelActive() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .refused else { return }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard state == .new else { return }
        if counter.admit() {
            state = .counted
        } else {
            state = .refused
            context.close(promise: nil)
        }
    }

    private func release() {
        if state == .counted { counter.release() }
        if state != .refused { state = .released }
    }
}
