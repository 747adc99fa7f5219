public import Foundation
public import SyncProtocol

/// Supplies bearer tokens. The SDK asks again with `refresh: true` after the server refused
/// one (`unauthorized`, `token_expired`, close 4401); until a new token arrives the status is
/// `needsAuthentication` and writes keep queueing.
public protocol TokenProvider: Sendable {
    /// A token for the device; a new one when `refresh` is true.
    func token(refresh: Bool) async throws -> String
}

/// A fixed token, for scripts and tests.
public struct StaticTokenProvider: TokenProvider {
    private let value: String

    /// A provider that always answers `token`.
    public init(_ token: String) {
        value = token
    }

    public func token(refresh: Bool) async throws -> String { value }
}

/// How a `SyncClient` reaches its server and describes itself.
public struct SyncClientConfiguration: Sendable {
    /// The server's base URL (`http://127.0.0.1:8080`, `https://sync.example.com`); the
    /// WebSocket URL is derived from it (`ws`/`wss`, path `/v1/sync`).
    public var serverURL: URL
    /// Describes the app for the server's device health (`hello.client`).
    public var client: ClientInfo
    /// Delays between reconnections: the spec asks to start near 1 s and cap near 60 s (WS-12).
    public var reconnectBackoff: Backoff
    /// The uploader's tunables (backoff, batch size, how long to wait for a push's answer).
    public var uploader: UploaderStateMachine.Configuration
    /// Changes asked for per pull page (at most the server's `max_pull_page`).
    public var pullPageSize: Int64
    /// How long to wait for `welcome` after `hello`, in milliseconds.
    public var handshakeTimeoutMs: Int64
    /// Most full resyncs in a row before the client stops and reports an error, so a server that
    /// keeps expiring cursors cannot make it loop.
    public var maxConsecutiveResyncs: Int

    /// A configuration with the spec's recommended timings.
    public init(serverURL: URL, client: ClientInfo = ClientInfo(platform: SyncClientConfiguration.platform, appVersion: "0.0.0",
                                                                  osVersion: ProcessInfo.processInfo.operatingSystemVersionString.prefix(64).description,
                                                                  networkType: .unknown),
                reconnectBackoff: Backoff = Backoff(baseMs: 1000, capMs: 60_000),
                uploader: UploaderStateMachine.Configuration = .init(), pullPageSize: Int64 = Limits.defaultPullPage,
                handshakeTimeoutMs: Int64 = 10_000, maxConsecutiveResyncs: Int = 3) {
        self.serverURL = serverURL
        self.client = client
        self.reconnectBackoff = reconnectBackoff
        self.uploader = uploader
        self.pullPageSize = pullPageSize
        self.handshakeTimeoutMs = handshakeTimeoutMs
        self.maxConsecutiveResyncs = maxConsecutiveResyncs
    }

    /// The WebSocket endpoint for `serverURL`.
    public var webSocketURL: URL {
        var components = URLComponents(url: serverURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        components.path = "/v1/sync"
        return components.url ?? serverURL
    }

    /// The platform name for `hello.client.platform`.
    public static var platform: String {
        #if os(iOS)
        "ios"
        #elseif os(macOS)
        "macos"
        #elseif os(Linux)
        "linux"
        #else
        "other"
        #endif
    }
}
