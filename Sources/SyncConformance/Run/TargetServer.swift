import Foundation
public import NIOSSL

/// The implementation under test and how to talk to it.
public struct TargetServer: Sendable {
    /// The base URL as given, e.g. `http://127.0.0.1:8080` or `https://staging.example.com`.
    public var url: String
    /// Host to connect to.
    public var host: String
    /// Port to connect to.
    public var port: Int
    /// A path prefix before every request path (from the URL), usually empty.
    public var basePath: String
    /// The WebSocket path (the spec's `protocol.websocket.path`).
    public var webSocketPath: String
    /// The WebSocket subprotocol offered by default (the spec's).
    public var subprotocol: String
    /// The TLS context of an `https://` target (its WebSocket is `wss://`); `nil` for `http://`.
    public var tls: NIOSSLContext?

    /// Parses `http://host:port[/prefix]` or `https://host:port[/prefix]` (TLS with `tls`);
    /// `nil` for anything else.
    public init?(url: String, webSocketPath: String = "/v1/sync", subprotocol: String = "mobilesync.v1", tls: NIOSSLContext? = nil) {
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty else {
            return nil
        }
        if scheme == "https" {
            guard let tls else { return nil }
            self.tls = tls
        }
        self.url = url
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
        let path = components.path
        self.basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
        self.webSocketPath = webSocketPath
        self.subprotocol = subprotocol
    }

    var client: HTTPClient { HTTPClient(host: host, port: port, tls: tls) }
}
