public import Foundation
public import SyncProtocol

/// The MobileSync client an app embeds: offline-first records on a local SQLite store, synced
/// with a MobileSync server.
///
/// Writes are durable on the device before they return (`WriteHandle`), queue while offline,
/// and go to the server in order, exactly once, whatever crashes or disconnects happen in
/// between; the server's verdict arrives later (`WriteHandle.settled()`, `events`). Changes
/// from other devices arrive in real time and are applied in order; pending local edits stay
/// visible on top of them until the server settles them.
///
/// ```swift
/// let client = SyncClient(configuration: .init(serverURL: url), store: try SQLiteClientStore(path: path),
///                         connector: WebSocketConnector(), tokens: myTokenProvider)
/// await client.start()
/// let handle = try await client.put("tasks", id: "t1", fields: ["title": "Inspect pump"])
/// let result = try await handle.settled()
/// ```
public final class SyncClient: Sendable {
    private let engine: ClientEngine
    /// The local store the client reads and writes.
    public let store: any ClientStore

    /// A client over `store`, talking to the server through `connector` (WebSocket sync) and
    /// `http` (uploads), authenticated by `tokens`. Nothing happens until `start()`.
    public init(configuration: SyncClientConfiguration, store: any ClientStore, connector: any SyncConnector,
                http: any HTTPTransport = URLSessionTransport(), tokens: any TokenProvider) {
        self.store = store
        engine = ClientEngine(configuration: configuration, store: store, connector: connector, http: http, tokens: tokens)
    }

    /// Connects and keeps syncing in the background until `stop()`; may be called again after
    /// `stop()`.
    public func start() async {
        await engine.start()
    }

    /// Stops syncing and closes the connection. Queued writes stay in the store.
    public func stop() async {
        await engine.stop()
    }

    /// Connection state, pending writes and progress; the current value first, then each change.
    /// A subscription ends at `stop()`; subscribe again after the next `start()`.
    public var status: AsyncStream<SyncStatus> { engine.statusStream.subscribe() }

    /// Records changed, writes settled, conflicts resolved, rejections, resyncs. A subscription
    /// ends at `stop()`.
    public var events: AsyncStream<SyncEvent> { engine.eventStream.subscribe() }

    /// Creates the record with `fields`, or, when it exists, sets `fields` on it (an `update`:
    /// fields not named keep their values, since the protocol never removes a field).
    public func put(_ collection: String, id: String, fields: JSONObject) async throws -> WriteHandle {
        let exists = try await store.record(collection: collection, id: id) != nil
        return try await engine.write(collection: collection, id: id, op: exists ? .update : .create, fields: fields)
    }

    /// Changes only `fields` of an existing record.
    public func update(_ collection: String, id: String, fields: JSONObject) async throws -> WriteHandle {
        try await engine.write(collection: collection, id: id, op: .update, fields: fields)
    }

    /// Deletes a record.
    public func delete(_ collection: String, id: String) async throws -> WriteHandle {
        try await engine.write(collection: collection, id: id, op: .delete, fields: nil)
    }

    /// The record as the app sees it (server state with pending local writes on top); `nil`
    /// when it does not exist or is deleted.
    public func record(_ collection: String, id: String) async throws -> LocalRecord? {
        try await store.record(collection: collection, id: id)
    }

    /// Every live record of `collection`.
    public func records(_ collection: String) async throws -> [LocalRecord] {
        try await store.records(collection: collection)
    }

    /// Pushes what is pending and pulls what is new now, returning when the client is in sync
    /// (nothing pending, caught up, cursor acknowledged). Starts the client if needed.
    public func sync(timeout: Duration = .seconds(60)) async throws(SyncClientError) {
        await engine.start()
        let (seconds, attoseconds) = timeout.components
        try await engine.syncNow(timeoutMs: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}

extension SyncClient {
    /// Uploads a file on the resumable protocol, resuming an earlier attempt at the same file
    /// (same path and content) where it stopped: only the chunks the server lacks are sent.
    ///
    /// - Parameters:
    ///   - url: The local file.
    ///   - contentType: Its media type.
    ///   - parallelism: Chunks in flight at once.
    ///   - progress: Called after each chunk the server stored.
    public func upload(fileAt url: URL, contentType: String = "application/octet-stream", parallelism: Int = 4,
                       progress: @escaping @Sendable (UploadProgress) -> Void = { _ in }) async throws(SyncClientError) -> UploadedFile {
        try await engine.uploader(parallelism: parallelism).upload(fileAt: url, contentType: contentType, progress: progress)
    }
}
