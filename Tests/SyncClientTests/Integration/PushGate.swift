import Foundation
import SyncClient
import SyncProtocol
import Synchronization

/// A connector that holds back the client's pushes until the test opens the gate, while every
/// other frame passes both ways: the client stays live and receives changes with its writes
/// pending, which a real server would otherwise settle within milliseconds.
final class PushGate: SyncConnector, Sendable {
    private let inner: any SyncConnector
    private let state = Mutex<(open: Bool, held: [(any SyncConnection, ClientMessage)])>((false, []))

    init(_ inner: any SyncConnector) {
        self.inner = inner
    }

    func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
        GatedConnection(inner: try await inner.connect(to: url, token: token, maxFrameBytes: maxFrameBytes), gate: self)
    }

    /// How many pushes wait behind the gate.
    var heldCount: Int { state.withLock { $0.held.count } }

    /// Opens the gate: held pushes go out in order, later ones pass at once.
    func open() async {
        let held = state.withLock { state in
            state.open = true
            defer { state.held.removeAll() }
            return state.held
        }
        for (connection, message) in held { try? await connection.send(message) }
    }

    /// Holds `message` when it is a push and the gate is closed.
    fileprivate func hold(_ message: ClientMessage, on connection: any SyncConnection) -> Bool {
        guard case .push = message else { return false }
        return state.withLock { state in
            if state.open { return false }
            state.held.append((connection, message))
            return true
        }
    }
}

private final class GatedConnection: SyncConnection, Sendable {
    let inner: any SyncConnection
    let gate: PushGate

    init(inner: any SyncConnection, gate: PushGate) {
        self.inner = inner
        self.gate = gate
    }

    func send(_ message: ClientMessage) async throws(TransportError) {
        if gate.hold(message, on: inner) { return }
        try await inner.send(message)
    }

    func receive() async throws(TransportError) -> ServerMessage {
        try await inner.receive()
    }

    func close(code: UInt16) async {
        await inner.close(code: code)
    }
}
