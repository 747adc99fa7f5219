import NIOCore
import NIOWebSocket
import SyncProtocol

/// Near the head of every connection's pipeline: once the connection was upgraded to a WebSocket
/// (the WebSocket frame decoder is in the pipeline), fails it before the frame reaches the
/// decoder when the client sends
/// - an unmasked frame: close 1002 (RFC 6455 section 5.1; the registry's 1002 says so);
/// - a frame announcing more than the decoder takes (`maxFrameSize`): the `error` message
///   `frame_too_large`, then close 1009, as the session answers a smaller message over the limit
///   (the decoder would close with a bare 1009 after buffering the frame's start).
/// Bytes received before the upgrade completed pass unchecked.
///
/// A failed connection is half-closed after the answer, and lingers reading (and dropping) what
/// the client still sends until it closes too, so that the answer is not lost to a reset.
final class FrameHeaderGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the guard refuses, and how.
    struct Settings: Sendable {
        /// The largest payload the WebSocket decoder takes.
        var maxFrameSize: Int
        /// The server frames answering a frame larger than that: the error message and close 1009.
        var tooLargeAnswer: [UInt8]

        /// The settings for a decoder taking `maxFrameSize`, in a session whose messages may hold
        /// `maxFrameBytes` (named in the error's text, as the session names it).
        init(maxFrameSize: Int, maxFrameBytes: Int) {
            self.maxFrameSize = maxFrameSize
            let error = ServiceError(.frameTooLarge, "the message is larger than \(maxFrameBytes) bytes")
            tooLargeAnswer = Self.serverFrame(opcode: 0x1, payload: Array(WireCodec.encode(ServerMessage.error(error.errorMessage(requestId: nil)))))
                + Self.serverFrame(opcode: 0x8, payload: [0x03, 0xF1])
        }

        /// One unmasked server frame with its whole payload (RFC 6455 section 5.2).
        static func serverFrame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
            var frame: [UInt8] = [0x80 | opcode]
            switch payload.count {
            case ..<126: frame.append(UInt8(payload.count))
            case ...0xFFFF: frame += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
            default: frame.append(127); frame += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (UInt64($0) * 8)) }
            }
            return frame + payload
        }
    }

    private let settings: Settings
    private var upgraded = false
    private var failed = false
    private var scanner: FrameHeaderScanner

    /// A server close frame (unmasked) with code 1002, Protocol Error.
    private static let protocolErrorClose = Settings.serverFrame(opcode: 0x8, payload: [0x03, 0xEA])

    init(_ settings: Settings) {
        self.settings = settings
        scanner = FrameHeaderScanner(maxPayload: UInt64(max(0, settings.maxFrameSize)))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        if !upgraded {
            upgraded = (try? context.pipeline.syncOperations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)) != nil
        }
        if upgraded {
            let buffer = unwrapInboundIn(data)
            switch scanner.scan(buffer.readableBytesView) {
            case .fine: break
            case .unmasked: return fail(context, answering: Self.protocolErrorClose)
            case .tooLarge: return fail(context, answering: settings.tooLargeAnswer)
            }
        }
        context.fireChannelRead(data)
    }

    /// How long a failed connection goes on reading, and dropping, what the client still sends
    /// (the rest of a huge frame) after the answer: closing a socket with unread bytes resets the
    /// connection, and the client could lose the answer with it.
    static let linger = TimeAmount.seconds(5)

    /// Writes `answer` straight to the client and closes the connection's output after it; what
    /// the client sends from then on is dropped until it closes its side or `linger` ends.
    private func fail(_ context: ChannelHandlerContext, answering answer: [UInt8]) {
        failed = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: answer))).whenComplete { _ in
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
        }
    }

    /// Once failed, the client closing its side ends the connection.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if failed, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
