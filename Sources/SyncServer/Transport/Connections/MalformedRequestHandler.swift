import NIOCore
import NIOHTTP1
import SyncProtocol

/// Answers a request the HTTP parser cannot read (an unknown method, a malformed request line or
/// header, a head larger than the server reads) with `400` and a `malformed_frame` problem
/// document (ERR-1), then closes the connection. Without it, a first request that fails to
/// parse on a connection that may still upgrade to WebSocket is never answered and the
/// connection hangs. Sits right after the HTTP decoder, so it also sees parse errors of later
/// requests on a keep-alive connection.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = HTTPServerResponsePart
    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let refusal = ServiceError(.malformedFrame, Self.detail(parserError))
        let body = ByteBuffer(bytes: WireCodec.encode(refusal.problem()))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/problem+json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }

    /// What was wrong, in words a client developer can act on.
    static func detail(_ error: HTTPParserError) -> String {
        switch error {
        case .headerOverflow: "the request head is larger than the server reads (80 KiB); send a shorter token or fewer headers"
        case .invalidMethod: "the request method is not an HTTP method"
        default: "the request is not valid HTTP/1.1 (\(error))"
        }
    }
}
