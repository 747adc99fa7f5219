import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

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
    private let failure: ConnectionFailure

    private init(channel: any Channel, inbox: Mailbox<[UInt8]>, failure: ConnectionFailure) {
        self.channel = channel
        self.inbox = inbox
        self.failure = failure
    }

    /// Connects to `host:port`, failing after `timeout`; with `tls`, the bytes go through TLS
    /// (SNI and host name check with `host` unless it is an IP address, checked against the
    /// certificate's IP addresses instead).
    static func connect(host: String, port: Int, timeout: Duration, tls: NIOSSLContext? = nil) async throws -> TCPConnection {
        let inbox = Mailbox<[UInt8]>()
        let failure = ConnectionFailure()
        let milliseconds = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(max(1, milliseconds)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let name = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox, failure: failure))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return TCPConnection(channel: channel, inbox: inbox, failure: failure)
        } catch {
            throw WireError("cannot connect to \(host):\(port): \(error)")
        }
    }

    /// Writes bytes and waits until they are handed to the socket.
    func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
        } catch {
            throw WireError("write failed: \(failure.reason.map { "\($0) (\(error))" } ?? "\(error)")")
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

/// Why the connection failed (such as a TLS handshake refused for the certificate), kept so
/// that the next write reports the cause instead of only "I/O on closed channel".
private final class ConnectionFailure: Sendable {
    private let text = Mutex<String?>(nil)

    var reason: String? { text.withLock { $0 } }

    func record(_ error: any Error) {
        text.withLock { $0 = $0 ?? "\(error)" }
    }
}

/// Hands received bytes to the mailbox and finishes it when the connection ends.
private final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let inbox: Mailbox<[UInt8]>
    let failure: ConnectionFailure

    init(inbox: Mailbox<[UInt8]>, failure: ConnectionFailure) {
        self.inbox = inbox
        self.failure = failure
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
        failure.record(error)
        inbox.finish()
        context.close(promise: nil)
    }
}
