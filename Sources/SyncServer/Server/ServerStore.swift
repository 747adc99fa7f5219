import Foundation
public import Logging
import ServiceLifecycle

/// What the server needs of its store: sync data, upload metadata, totals for `/metrics`, a
/// service that closes it at shutdown, and a way to close it before the service group runs.
protocol ServerStore: SyncStore, UploadStore, OperationalTotalsStore, Service {
    /// Closes the store's connections.
    func close() async throws
    /// The schema version the database has.
    func schemaVersion() async throws -> Int
}

extension SQLiteSyncStore: ServerStore {}
extension PostgresSyncStore: ServerStore {}

extension DatabaseLocation {
    /// Opens the store here and brings its schema up to date; closes it again if that fails.
    func openStore(observer: any WriteObserver, logger: Logger) async throws -> any ServerStore {
        let store: any ServerStore
        switch engine {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try await SQLiteSyncStore.open(path: path, observer: observer, logger: logger)
        case .postgres(let url):
            store = try await PostgresSyncStore.open(url: url, observer: observer, logger: logger)
        }
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}

/// `sync-server migrate`: the schema brought up to date without starting the server.
public enum SchemaMigration {
    /// Opens the store at `location`, applies the migrations it lacks, closes it, and returns the
    /// schema version it then has.
    public static func run(_ location: DatabaseLocation, logger: Logger) async throws -> Int {
        let store = try await location.openStore(observer: NoWriteObserver(), logger: logger)
        let version: Int
        do {
            version = try await store.schemaVersion()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        return version
    }
}

/// Ignores the writer's activity (for a store opened only to migrate).
private struct NoWriteObserver: WriteObserver {
    func writerQueueChanged(depth: Int) {}
    func writeTransactionFinished(duration: Duration) {}
}
