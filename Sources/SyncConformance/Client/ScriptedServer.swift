import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// The loopback server a client under test talks to: WebSocket sessions on `/v1/sync` and the
/// few REST endpoints a client uses, every frame and request handed to a `ScriptedHub` that
/// answers as the vector says. Spoken with SwiftNIO directly so the runner controls every close
/// and every silence.
final class ScriptedServer: Sendable {
    private let channel: any Channel
    /// The port it listens on, on 127.0.0.1.
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Starts listening on a free loopback port; every connection is handed to `hub`.
    static func start(hub: ScriptedHub) async throws -> ScriptedServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 1 << 24,
                    shouldUpgrade: { channel, head in
                        channel.eventLoop.makeFutureWithTask {
                            await hub.accepts(upgrade: head) ? HTTPHeaders([("Sec-WebSocket-Protocol", "mobilesync.v1")]) : nil
                        }
                    },
                    upgradePipelineHandler: { channel, head in
                        let token = ScriptedHub.token(in: head)
                        return channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(WebSocketSessionHandler(hub: hub, token: token))
                        }
                    })
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.syncOperations.removeHandler(name: "rest", promise: nil)
                        }))
                    try channel.pipeline.syncOperations.addHandler(RESTHandler(hub: hub), name: "rest")
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(channel: channel, port: channel.localAddress?.port ?? 0)
    }

    /// Stops listening (open sessions are closed by the hub).
    func stop() async {
        try? await channel.close()
    }
}

/// One WebSocket session as the hub sees it: an id and ways to write to it or end it.
final class ScriptedConnection: Sendable {
    private static let counter = Mutex(0)
    let id: Int
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
        id = Self.counter.withLock { value in
            value += 1
            return value
        }
    }

    /// Sends a text frame.
    func send(_ text: String) {
        let buffer = channel.allocator.buffer(string: text)
        channel.writeAndFlush(NIOWebSocket.WebSocketFrame(fin: true, opcode: .text, data: buffer), promise: nil)
    }

    /// Sends a close frame with `code`, then closes the connection.
    func close(code: Int) {
        var data = channel.allocator.buffer(capacity: 2)
        data.writeInteger(UInt16(truncatingIfNeeded: code))
        let channel = channel
        channel.writeAndFlush(NIOWebSocket.WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Closes the TCP connection without a close frame.
    func drop() {
        channel.close(promise: nil)
    }
}

/// Feeds one WebSocket session's text frames, in order, to the hub.
private final class WebSocketSessionHandler: ChannelInboundHandler {
    typealias InboundIn = NIOWebSocket.WebSocketFrame
    typealias OutboundOut = NIOWebSocket.WebSocketFrame

    private let hub: ScriptedHub
    private let token: String?
    private var connection: ScriptedConnection?
    private var frames: AsyncStream<String>.Continuation?
    private var fragments: ByteBuffer?

    init(hub: ScriptedHub, token: String?) {
        self.hub = hub
        self.token = token
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let connection = ScriptedConnection(channel: context.channel)
        self.connection = connection
        let (stream, continuation) = AsyncStream<String>.makeStream()
        frames = continuation
        let hub = hub
        let token = token
        Task {
            await hub.opened(connection, token: token)
            for await text in stream { await hub.received(text, on: connection) }
            await hub.closed(connection)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            if frame.fin { frames?.yield(String(buffer: frame.unmaskedData)) } else { fragments = frame.unmaskedData }
        case .continuation:
            guard var buffer = fragments else { return }
            var data = frame.unmaskedData
            buffer.writeBuffer(&data)
            if frame.fin {
                fragments = nil
                frames?.yield(String(buffer: buffer))
            } else {
                fragments = buffer
            }
        case .ping:
            let pong = NIOWebSocket.WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            let reply = NIOWebSocket.WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in context.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        frames?.finish()
        frames = nil
        context.fireChannelInactive()
    }
}

/// Answers plain HTTP requests (and refused upgrades) through the hub.
private final class RESTHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let hub: ScriptedHub
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(hub: ScriptedHub) {
        self.hub = hub
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            tooLarge = false
        case .body(var chunk):
            // Beyond 64 MiB (four times the spec's largest chunk) the body is dropped and the
            // request refused whole, never handled cut short.
            if body.readableBytes + chunk.readableBytes <= ScriptedRequest.maxBodyBytes {
                body.writeBuffer(&chunk)
            } else {
                tooLarge = true
                body.clear()
            }
        case .end:
            guard let head else { return }
            let request = ScriptedRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                                          body: Array(body.readableBytesView), tooLarge: tooLarge)
            let channel = context.channel
            let hub = hub
            Task {
                guard let response = await hub.answer(request) else { return }
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
                channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: response.status),
                                                                           headers: headers)), promise: nil)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: response.body))), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
            }
        }
    }
}

/// An HTTP request to the scripted server.
struct ScriptedRequest: Sendable {
    /// The largest body the scripted server reads.
    static let maxBodyBytes = 1 << 26

    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
    /// The body was larger than `maxBodyBytes` and was dropped.
    var tooLarge = false

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The path without the query.
    var path: String { String(uri.prefix { $0 != "?" }) }
}

/// The scripted server's answer to an HTTP request.
struct ScriptedResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
}
