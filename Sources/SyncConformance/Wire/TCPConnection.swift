import Foundation
import NIOCore
import NIOPosix

/// Why a connection could not be made or used.
public struct WireError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}

/// A raw TCP connection: bytes in through a mailbox (read with a deadline), bytes out as written.
/// HTTP and WebSocket are spoken on top by the runner itself, so it controls every byte.
final class TCPConnection: Sendable {
    private let channel: any Channel
    private let inbox: Mailbox<[UInt8]>

    private init(channel: any Channel, inbox: Mailbox<[UInt8]>) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `host:port`, failing after `timeout`.
    static func connect(host: String, port: Int, timeout: Duration) async throws -> TCPConnection {
        let inbox = Mailbox<[UInt8]>()
        let milliseconds = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(max(1, milliseconds)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return TCPConnection(channel: channel, inbox: inbox)
        } catch {
            throw WireError("cannot connect to \(host):\(port): \(error)")
        }
    }

    /// Writes bytes and waits until they are handed to the socket.
    func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
        } catch {
            throw WireError("write failed: \(error)")
        }
    }

    /// Whether the socket is read as bytes arrive; off, the kernel's buffers fill and the peer's
    /// writes stall, as with a slow consumer.
    func setAutoRead(_ on: Bool) {
        channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
        if on { channel.read() }
    }

    /// The next bytes received, `nil` when the peer closed or `deadline` passed.
    func read(before deadline: ContinuousClock.Instant) async -> [UInt8]? {
        await inbox.next(before: deadline)
    }

    /// Whether the peer closed and every received byte was read.
    var isClosed: Bool { inbox.isDrained }

    /// Closes the connection (idempotent).
    func close() {
        channel.close(promise: nil)
    }
}

/// Hands received bytes to the mailbox and finishes it when the connection ends.
private final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let inbox: Mailbox<[UInt8]>

    init(inbox: Mailbox<[UInt8]>) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty { inbox.push(bytes) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.finish()
        context.close(promise: nil)
    }
}
