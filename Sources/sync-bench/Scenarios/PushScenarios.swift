import Foundation

/// The sync server under load: devices pushing over WebSocket and REST, replays, one busy
/// tenant. Every scenario uses devices of its own (their sequence numbers start at 1), so they
/// can run one after another against one server.
struct PushScenarios {
    let port: Int
    let secret: String
    let seconds: Double
    /// Tells one scenario's devices and tenants from another's.
    private let run = UUID().uuidString.prefix(6).lowercased()

    init(port: Int, secret: String, seconds: Double) {
        self.port = port
        self.secret = secret
        self.seconds = seconds
    }

    /// `count` devices; each in a tenant of its own unless `sharedTenant` names one.
    func devices(_ scenario: String, count: Int, sharedTenant: String? = nil) -> [BenchDevice] {
        (0..<count).map { index in
            BenchDevice(secret: secret, tenant: sharedTenant.map { "\(run)-\($0)" } ?? "\(run)-\(scenario)-\(index)",
                        device: "\(run)-\(scenario)-\(index)")
        }
    }

    /// Devices pushing batches of `size` new records over their WebSocket sessions, one batch
    /// after another, for `seconds`.
    func webSocketPushes(_ scenario: String, devices count: Int, size: Int, sharedTenant: String? = nil) throws -> LoadResult {
        let sessions = try devices(scenario, count: count, sharedTenant: sharedTenant).map { try DeviceSession(port: port, device: $0) }
        return try LoadResult.checked(LoadRunner.closedLoop(sessions, seconds: seconds) { session in
            let (message, requestId) = session.device.pushMessage(size)
            try session.push(message, requestId: requestId)
            return size
        })
    }

    /// Single-mutation pushes due at `rate` a second, taken by `devices` sessions (open loop).
    func openLoopPushes(_ scenario: String, devices count: Int, rate: Double) throws -> LoadResult {
        let sessions = try devices(scenario, count: count).map { try DeviceSession(port: port, device: $0) }
        return try LoadResult.checked(LoadRunner.openLoop(sessions, rate: rate, seconds: seconds) { session in
            let (message, requestId) = session.device.pushMessage(1)
            try session.push(message, requestId: requestId)
            return 1
        })
    }

    /// Each connection's device pushes one batch of `size`, then sends the same message again
    /// and again: every answer after the first is a replay of the stored result.
    func replays(connections count: Int, size: Int) throws -> LoadResult {
        let sessions = try devices("replay", count: count).map { session -> (DeviceSession, [UInt8], String) in
            let session = try DeviceSession(port: port, device: session)
            let (message, requestId) = session.device.pushMessage(size)
            try session.push(message, requestId: requestId)
            return (session, message, requestId)
        }
        return try LoadResult.checked(LoadRunner.closedLoop(sessions, seconds: seconds) { session, message, requestId in
            guard try session.push(message, requestId: requestId) else { throw BenchFailure("a repeated push was not answered as a replay") }
            return 1
        })
    }

    /// Devices pushing batches of `size` over REST on kept-alive connections.
    func httpPushes(connections count: Int, size: Int) throws -> LoadResult {
        let clients = try devices("http", count: count).map { (try BenchSocket(port: port), $0) }
        return try LoadResult.checked(LoadRunner.closedLoop(clients, seconds: seconds) { socket, device in
            try socket.write(device.httpPush(size))
            let (status, body) = try socket.readResponse()
            guard status == 200 else { throw BenchFailure("a REST push was answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))") }
            return size
        })
    }
}

extension LoadResult {
    /// The result, or a failure when nothing was answered at all.
    static func checked(_ result: LoadResult) throws -> LoadResult {
        guard result.operations > 0 else { throw BenchFailure("no operation completed in the measurement") }
        return result
    }
}
