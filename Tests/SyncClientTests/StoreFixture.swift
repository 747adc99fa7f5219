import Foundation
import SyncClient
import SyncProtocol
import Testing

/// The two stores every store test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case memory

    var testDescription: String { rawValue }
}

/// A store under test that can be "reopened": the SQLite store is closed and opened again on the
/// same file, as after the process died; the in-memory store stays the same instance (it has no
/// process to survive).
final class StoreFixture: @unchecked Sendable {
    // @unchecked: each test owns its fixture and uses it from one task at a time.
    let kind: StoreKind
    private(set) var store: any ClientStore
    private let directory: URL?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncclient-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            self.directory = directory
            store = try SQLiteClientStore(path: directory.appendingPathComponent("client.sqlite").path)
        case .memory:
            directory = nil
            store = InMemoryClientStore()
        }
    }

    /// The database file of the SQLite store; `nil` for the memory store.
    var databasePath: String? { directory?.appendingPathComponent("client.sqlite").path }

    /// Closes and reopens the database file (simulated process death), or keeps the memory store.
    func reopen() throws {
        guard let directory, let sqlite = store as? SQLiteClientStore else { return }
        try sqlite.close()
        store = try SQLiteClientStore(path: directory.appendingPathComponent("client.sqlite").path)
    }

    /// Closes the store and deletes its files. Call it in a `defer`, which also keeps the fixture
    /// (and so the database) alive until the test ends.
    func cleanUp() {
        if let sqlite = store as? SQLiteClientStore { try? sqlite.close() }
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Builders of server-side values for the tests.
enum Wire {
    static func record(_ id: String, collection: String = "tasks", version: Int64, fields: JSONObject, deleted: Bool = false) -> Record {
        Record(collection: collection, id: id, fields: deleted ? [:] : fields, version: version,
               fieldVersions: deleted ? [:] : fields.mapValues { _ in version }, updatedAt: 1_000 + version,
               clientTime: 1_000 + version, deleted: deleted, lastDevice: "other-device")
    }

    static func change(_ record: Record, op: MutationOp = .update, cursor: String) -> Change {
        Change(cursor: cursor, op: op, record: record, originDevice: record.lastDevice)
    }

    static func result(_ mutation: Mutation, _ status: MutationStatus, version: Int64? = nil, record: Record? = nil,
                       error: String? = nil, originalStatus: MutationStatus? = nil, reviewId: String? = nil) -> MutationResult {
        MutationResult(seq: mutation.seq, collection: mutation.collection, recordId: mutation.recordId, status: status,
                       version: version, record: record, error: error, message: error.map { "refused: \($0)" },
                       originalStatus: originalStatus, reviewId: reviewId)
    }

    static func pushResult(_ results: [MutationResult]) -> PushResult {
        let failed = Int64(results.filter { $0.status == .rejected }.count)
        return PushResult(results: results, synced: Int64(results.count) - failed, failed: failed, cursor: "c_1", replayed: false)
    }

    /// Every mutation of the batch applied, each to version base + 1 (create: 1), no record.
    static func allApplied(_ batch: OutboxBatch) -> PushResult {
        pushResult(batch.mutations.map { result($0, .applied, version: $0.baseVersion + 1) })
    }
}
