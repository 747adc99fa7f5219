import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// The bare Hummingbird server the sync server is compared with: `POST /echo` answers the body
/// it got, and a WebSocket on `/echo` sends back every message, with the same WebSocket settings
/// the sync server uses. What the sync server costs beyond this is its own work.
struct EchoServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-server",
        abstract: "A bare Hummingbird HTTP and WebSocket echo server (the baseline of 'sync-bench server').")

    @Option(help: "TCP port on 127.0.0.1; 0 picks a free one.") var port = 0

    func run() async throws {
        let router = Router()
        router.post("/echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/echo") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case .text(let text): try await outbound.write(.text(text))
                case .binary(let bytes): try await outbound.write(.binary(bytes))
                }
            }
        }
        var logger = Logger(label: "echo-server")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter, configuration: .init(autoPing: .disabled, validateUTF8: false)),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger
        )
        try await app.runService()
    }
}
