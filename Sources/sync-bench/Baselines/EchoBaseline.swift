import Foundation

/// The bare Hummingbird echo server (`sync-bench echo-server`) under the loads the sync server
/// gets: the same push bytes over WebSocket and REST, and idle WebSockets.
enum EchoBaseline {
    struct Figures {
        var webSocket = LoadResult()
        var post = LoadResult()
        var idle: (bytesPerConnection: Double, coreFraction: Double) = (0, 0)
    }

    static func measure(executable: String, settings: BenchSettings, pinLoad: (Int32) -> Void) throws -> Figures {
        let echo = try ListeningProcess(executable: executable, arguments: ["echo-server"])
        defer { echo.stop() }
        pinLoad(echo.pid)
        let port = echo.port
        let device = BenchDevice(secret: "unused", tenant: "echo", device: "echo")
        let message = device.pushMessage(10).bytes
        let request = BenchDevice.post(path: "/echo", body: #"{"mutations":\#(device.mutations(10))}"#)

        let sockets = try (0..<settings.connections).map { _ in
            let socket = try BenchSocket(port: port)
            try socket.upgrade(path: "/echo", token: nil, subprotocol: nil)
            return socket
        }
        let webSocket = try LoadResult.checked(LoadRunner.closedLoop(sockets, seconds: settings.seconds) { socket in
            try socket.sendText(message)
            guard try socket.readMessage().count == message.count else { throw BenchFailure("the echo differs from the message") }
            return 1
        })
        let clients = try (0..<settings.connections).map { _ in try BenchSocket(port: port) }
        let post = try LoadResult.checked(LoadRunner.closedLoop(clients, seconds: settings.seconds) { socket in
            try socket.write(request)
            let (status, _) = try socket.readResponse()
            guard status == 200 else { throw BenchFailure("the echo server answered \(status)") }
            return 1
        })
        let idle = try SessionScenarios.idleCost(pid: echo.pid, count: settings.idleSessions, idleSeconds: settings.idleSeconds) {
            let socket = try BenchSocket(port: port)
            try socket.upgrade(path: "/echo", token: nil, subprotocol: nil)
            return socket
        }
        withExtendedLifetime((sockets, clients)) {}
        return Figures(webSocket: webSocket, post: post, idle: idle)
    }
}
