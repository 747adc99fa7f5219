import Crypto
import Foundation
import Logging
import Synchronization
import SyncProtocol
@testable import SyncServer
import SyncTestSupport
import Testing

/// Two upload managers on one PostgreSQL database and one data directory, as two nodes: the same
/// sessions finalized on both at once.
@Suite("uploads on several nodes")
struct UploadFinalizeNodesTests {
    /// A session of 3,000 bytes in one chunk, uploaded through `manager` and ready to finalize.
    static func uploaded(through manager: UploadManager) async throws -> UploadSession {
        let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0) }
        let session = try await UploadManagerTests.start(manager, bytes)
        _ = try await UploadManagerTests.put(manager, session, bytes)
        return session
    }

    /// The finalized files in the data directory `folder`.
    static func files(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("files").path).filter { !$0.hasPrefix(".") }
    }

    @Test("a session finalized on two nodes at once gives both the same file, and no copy or chunk is left behind")
    func finalizeOnTwoNodes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nodes-uploads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.createDatabase()
        defer { try? TestPostgres.dropDatabase(database) }
        let url = try PostgresURL(parsing: TestPostgres.url(database: database))
        let storeA = try await PostgresSyncStore.open(url: url, maximumConnections: 4)
        defer { Task { await storeA.close() } }
        try await storeA.migrate()
        let storeB = try await PostgresSyncStore.open(url: url, maximumConnections: 4)
        defer { Task { await storeB.close() } }
        let clock = TenantClock()
        let nodeA = UploadManager(store: storeA, root: folder.path, clock: clock, logger: Logger(label: "test"))
        let nodeB = UploadManager(store: storeB, root: folder.path, clock: clock, logger: Logger(label: "test"))
        try await nodeA.prepare(orphanGrace: .seconds(3600))
        try await nodeB.prepare(orphanGrace: .seconds(3600))

        let sessions = 12
        var files: [String] = []
        for round in 0..<sessions {
            let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ round) }
            let session = try await UploadManagerTests.start(nodeA, bytes)
            for index in 0..<Int(session.chunkCount) {
                let chunk = Array(bytes[(index * Int(session.chunkSize))..<min(bytes.count, (index + 1) * Int(session.chunkSize))])
                _ = try await (index % 2 == 0 ? nodeA : nodeB).uploadChunk(
                    UploadManagerTests.principal, uploadId: session.uploadId, index: Int64(index), digest: Array(SHA256.hash(data: chunk)),
                    declaredLength: nil, body: UploadManagerTests.body(chunk))
            }
            async let first = nodeA.finalizeUpload(UploadManagerTests.principal, uploadId: session.uploadId)
            async let second = nodeB.finalizeUpload(UploadManagerTests.principal, uploadId: session.uploadId)
            let (a, b) = try await (first, second)
            #expect(a == b)
            #expect(a.sha256 == session.sha256)
            files.append(a.fileId)
        }
        #expect(Set(try Self.files(in: folder)) == Set(files))
        let chunkFolders = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("uploads").path)) ?? []
        #expect(chunkFolders.isEmpty)
    }

    @Test("a finalize whose chunks another node's finalize deletes under it answers with that node's file")
    func chunksDeletedByAnotherFinalize() async throws {
        try await UploadManagerTests.withManager { other, store, clock, _, folder in
            let session = try await Self.uploaded(through: other)
            let theirs = Mutex<UploadedFile?>(nil)
            let racing = FinalizeRaceStore(store) {
                let file = try await other.finalizeUpload(UploadManagerTests.principal, uploadId: session.uploadId)
                theirs.withLock { $0 = file }
            }
            let node = UploadManager(store: racing, root: folder.path, clock: clock, logger: Logger(label: "test"))
            let file = try await node.finalizeUpload(UploadManagerTests.principal, uploadId: session.uploadId)
            #expect(file == theirs.withLock { $0 })
            #expect(try Self.files(in: folder) == [file.fileId])
        }
    }

    @Test("a finalize whose session the janitor expires under it answers upload_expired and keeps nothing")
    func chunksDeletedByExpiry() async throws {
        try await UploadManagerTests.withManager { janitor, store, clock, _, folder in
            let session = try await Self.uploaded(through: janitor)
            let racing = FinalizeRaceStore(store) {
                clock.advance(tenant: UploadManagerTests.principal.tenant, by: Limits.uploadExpirySeconds * 1000 + 1)
                let expired = try await janitor.expireSessions()
                #expect(expired == 1)
            }
            let node = UploadManager(store: racing, root: folder.path, clock: clock, logger: Logger(label: "test"))
            await #expect(throws: UploadManager.expired) {
                try await node.finalizeUpload(UploadManagerTests.principal, uploadId: session.uploadId)
            }
            #expect(try Self.files(in: folder).isEmpty)
        }
    }
}
