public import Foundation
public import SyncProtocol

/// Opens WebSocket sync sessions (`/v1/sync`, subprotocol `mobilesync.v1`).
///
/// The SDK talks to the server only through this protocol and `SyncHTTP`, so an app can bring
/// its own WebSocket stack (`URLSessionWebSocketTask` on Apple platforms) and tests can script a
/// server without sockets. `SyncClientWebSocket` provides one on swift-websocket's `WSClient`.
public protocol SyncConnector: Sendable {
    /// Upgrades a connection to `url` with `token` in the `Authorization` header; the returned
    /// connection has not sent `hello` yet.
    func connect(to url: URL, token: String, maxFrameBytes: Int) async throws(TransportError) -> any SyncConnection
}

/// One open WebSocket session: JSON text frames in both directions.
public protocol SyncConnection: Sendable {
    /// Sends one message as a text frame.
    func send(_ message: ClientMessage) async throws(TransportError)

    /// The next message from the server. Throws `TransportError` with kind `closed` (and the
    /// close code) when the connection ends, and `malformedFrame` for a frame that does not
    /// decode (the connection stays usable).
    func receive() async throws(TransportError) -> ServerMessage

    /// Closes the connection with `code` (1000 for a normal close) and waits until it is closed.
    func close(code: UInt16) async
}

/// Why a transport operation failed. A struct with a kind, so new kinds do not break callers.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The server could not be reached (refused, reset, DNS, TLS, timeout).
        case unreachable
        /// The server refused the request with an HTTP status (and a problem document in
        /// `problem` when it sent one).
        case refused(status: Int)
        /// The server refused the WebSocket upgrade; the status is not known (ask over REST why).
        case upgradeFailed
        /// The WebSocket closed, with the close code the server sent (1006 when none).
        case closed(code: UInt16)
        /// A frame arrived that is not a server message of the protocol.
        case malformedFrame
        /// The request was cancelled.
        case cancelled
    }

    /// What went wrong.
    public var kind: Kind
    /// The RFC 9457 problem the server sent with a refusal, if any.
    public var problem: Problem?
    /// One line for logs; never holds tokens or record data.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, problem: Problem? = nil) {
        self.kind = kind
        self.message = message
        self.problem = problem
    }

    /// The protocol error code the server sent, when it sent one.
    public var code: ErrorCode? { problem.map { ErrorCode(rawValue: $0.code) } }

    public var description: String { "\(kind): \(message)" }
}
