import Foundation
import SyncClient
import SyncProtocol

/// A connector whose connections pass every frame through two functions: `outgoing` may change
/// or swallow (`nil`) what the client sends, `incoming` may change or hide what it receives.
struct FrameRewriter: SyncConnector {
    let inner: any SyncConnector
    let outgoing: @Sendable (ClientMessage) -> ClientMessage?
    let incoming: @Sendable (ServerMessage) -> ServerMessage?

    init(_ inner: any SyncConnector, outgoing: @escaping @Sendable (ClientMessage) -> ClientMessage? = { $0 },
         incoming: @escaping @Sendable (ServerMessage) -> ServerMessage? = { $0 }) {
        self.inner = inner
        self.outgoing = outgoing
        self.incoming = incoming
    }

    func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
        RewrittenConnection(inner: try await inner.connect(to: url, token: token, maxFrameBytes: maxFrameBytes), rewriter: self)
    }
}

private struct RewrittenConnection: SyncConnection {
    let inner: any SyncConnection
    let rewriter: FrameRewriter

    func send(_ message: ClientMessage) async throws(TransportError) {
        guard let rewritten = rewriter.outgoing(message) else { return }
        try await inner.send(rewritten)
    }

    func receive() async throws(TransportError) -> ServerMessage {
        while true {
            if let message = rewriter.incoming(try await inner.receive()) { return message }
        }
    }

    func close(code: UInt16) async {
        await inner.close(code: code)
    }
}

/// A connector that acknowledges each `changes` page as soon as it arrives and hands it to the
/// client two seconds later.
struct EarlyAcker: SyncConnector {
    let inner: any SyncConnector

    init(_ inner: any SyncConnector) {
        self.inner = inner
    }

    func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection {
        EarlyAckConnection(inner: try await inner.connect(to: url, token: token, maxFrameBytes: maxFrameBytes))
    }
}

private struct EarlyAckConnection: SyncConnection {
    let inner: any SyncConnection

    func send(_ message: ClientMessage) async throws(TransportError) {
        try await inner.send(message)
    }

    func receive() async throws(TransportError) -> ServerMessage {
        let message = try await inner.receive()
        if case .changes(let page) = message, !page.changes.isEmpty {
            try await inner.send(.ack(AckMessage(requestId: "early-ack", cursor: page.cursor)))
            try? await Task.sleep(for: .seconds(2))
        }
        return message
    }

    func close(code: UInt16) async {
        await inner.close(code: code)
    }
}
