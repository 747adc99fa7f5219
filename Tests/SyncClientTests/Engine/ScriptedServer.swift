import Foundation
import SyncClient
import SyncProtocol
import Synchronization

/// A server played by a test, without sockets: the client's connector hands out connections
/// whose frames the test reads (`nextFromClient`) and answers (`send`), one connection at a time.
final class ScriptedServer: SyncConnector, Sendable {
    private let connections = AsyncStream<ScriptedConnection>.makeStream()
    let connectCount = Mutex(0)

    func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
        connectCount.withLock { $0 += 1 }
        let connection = ScriptedConnection()
        connections.continuation.yield(connection)
        return connection
    }

    /// The next connection the client opens, within `timeout`.
    func nextConnection(timeout: Duration = .seconds(10)) async throws -> ScriptedConnection {
        try await within(timeout) { [connections] in
            for await connection in connections.stream { return connection }
            throw ScriptError("no connection")
        }
    }

    /// A connection that completed the handshake: `hello` read, `welcome` sent, and the catch-up
    /// `pull` answered with `changes` (none unless given), `last_seq` as given.
    func establishedConnection(lastSeq: Int64 = 0, changes: [Change] = [], cursor: String = "c_0") async throws -> ScriptedConnection {
        let connection = try await nextConnection()
        guard case .hello = try await connection.nextFromClient() else { throw ScriptError("expected hello") }
        connection.reply(.welcome(WelcomeMessage(protocolVersion: ProtocolInfo.version, sessionId: "s1", deviceId: "d1", serverTime: 1,
                                                heartbeatIntervalMs: 30_000, heartbeatTimeoutMs: 90_000, lastSeq: lastSeq,
                                                limits: ScriptedServer.limits, features: [])))
        guard case .pull(let pull) = try await connection.nextFromClient(skippingAcks: true) else { throw ScriptError("expected pull") }
        connection.reply(.changes(ChangesMessage(requestId: pull.requestId, changes: changes, cursor: cursor, hasMore: false)))
        return connection
    }

    static let limits = ServerLimits(maxFrameBytes: Limits.maxFrameBytes, maxMutationsPerPush: Limits.maxMutationsPerPush,
                                     maxRecordBytes: Limits.maxRecordBytes, maxRecordIdLength: Limits.maxRecordIdLength,
                                     maxCursorLength: Limits.maxCursorLength, maxPullPage: Limits.maxPullPage,
                                     defaultPullPage: Limits.defaultPullPage, maxClockSkewMs: Limits.maxClockSkewMs,
                                     idempotencyWindowSeconds: Limits.idempotencyWindowSeconds,
                                     heartbeatTimeoutSeconds: Limits.heartbeatTimeoutSeconds, minChunkBytes: Limits.minChunkBytes,
                                     maxChunkBytes: Limits.maxChunkBytes, defaultChunkBytes: Limits.defaultChunkBytes,
                                     maxUploadBytes: Limits.maxUploadBytes, maxUploadsPerDevice: Limits.maxUploadsPerDevice,
                                     uploadExpirySeconds: Limits.uploadExpirySeconds)
}

/// One scripted connection: what the client sends, and what the test answers.
final class ScriptedConnection: SyncConnection, Sendable {
    private let fromClient = AsyncStream<ClientMessage>.makeStream()
    private let toClient = AsyncStream<Result<ServerMessage, TransportError>>.makeStream()
    private let closed = Mutex<UInt16?>(nil)

    func send(_ message: ClientMessage) async throws(TransportError) {
        if let code = closed.withLock({ $0 }) { throw TransportError(.closed(code: code), "closed") }
        fromClient.continuation.yield(message)
    }

    func receive() async throws(TransportError) -> ServerMessage {
        for await item in toClient.stream { return try item.get() }
        throw TransportError(.closed(code: closed.withLock { $0 } ?? 1006), "closed")
    }

    func close(code: UInt16) async {
        closed.withLock { $0 = $0 ?? code }
        toClient.continuation.finish()
        fromClient.continuation.finish()
    }

    /// The server's side: sends a message to the client.
    func reply(_ message: ServerMessage) {
        toClient.continuation.yield(.success(message))
    }

    /// The server's side: drops the connection with `code`.
    func drop(code: UInt16 = 1006) {
        closed.withLock { $0 = $0 ?? code }
        toClient.continuation.yield(.failure(TransportError(.closed(code: code), "dropped by the test")))
        toClient.continuation.finish()
    }

    /// The next message the client sent, answering pings' pongs and acks on the way when asked.
    func nextFromClient(skippingAcks: Bool = false, timeout: Duration = .seconds(10)) async throws -> ClientMessage {
        try await within(timeout) { [self] in
            for await message in fromClient.stream {
                if skippingAcks, case .ack(let ack) = message {
                    reply(.acked(AckedMessage(requestId: ack.requestId, cursor: ack.cursor)))
                    continue
                }
                return message
            }
            throw ScriptError("the client closed the connection")
        }
    }
}

struct ScriptError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, failing after `timeout`.
func within<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw ScriptError("timed out after \(timeout)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
