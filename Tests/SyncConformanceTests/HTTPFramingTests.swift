import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import SyncConformance

/// The runner's HTTP client against a server that sends more than its response's framing says.
@Suite struct HTTPFramingTests {
    @Test func bytesAfterTheResponseAreAnError() async throws {
        let overlong = try await RawAnswer.start("HTTP/1.1 206 Partial Content\r\ncontent-length: 4\r\n\r\nbodyEXTRA-BYTES")
        defer { overlong.close() }
        let request = HTTPRequest(method: "GET", target: "/v1/files/f", headers: [], body: .none)
        let client = HTTPClient(host: "127.0.0.1", port: overlong.port)
        let error = await #expect(throws: WireError.self) { try await client.send(request, before: .now + .seconds(10)) }
        #expect(error?.description.contains("sent 11 bytes after the end of its 206 response") == true)

        let exact = try await RawAnswer.start("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nbody")
        defer { exact.close() }
        let response = try await HTTPClient(host: "127.0.0.1", port: exact.port).send(request, before: .now + .seconds(10))
        #expect(response.status == 200 && response.body == Array("body".utf8))
    }
}

/// A server that answers every connection's first bytes with one fixed text, in one write.
private struct RawAnswer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(_ answer: String) async throws -> RawAnswer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in child.pipeline.addHandler(Handler(answer: answer)) }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawAnswer(channel: channel)
    }

    func close() { channel.close(promise: nil) }

    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: String
        init(answer: String) { self.answer = answer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
