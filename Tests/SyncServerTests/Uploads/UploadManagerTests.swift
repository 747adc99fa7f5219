import Crypto
import Foundation
import Logging
import NIOCore
import _NIOFileSystem
import Synchronization
import SyncProtocol
@testable import SyncServer
import Testing

/// The upload manager over a real SQLite store and data folder, without HTTP: the analytics hook,
/// expiry on the tenant clock, orphan removal at start and the disk-full mapping.
@Suite("upload manager")
struct UploadManagerTests {
    /// Events received by the hook.
    final class Events: Sendable {
        let received = Mutex<[(String, UploadEvent.Kind)]>([])
    }

    static let principal = Principal(tenant: "acme", user: "alice", device: "phone")

    static func withManager(logger: Logger = Logger(label: "test"),
                            _ body: (UploadManager, SQLiteSyncStore, TenantClock, Events, URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLiteSyncStore.open(path: folder.appendingPathComponent("sync.sqlite").path)
        try await store.migrate()
        let clock = TenantClock()
        let events = Events()
        let manager = UploadManager(store: store, root: folder.path, clock: clock, onEvent: { tenant, event in
            events.received.withLock { $0.append((tenant, event.kind)) }
        }, logger: logger)
        try await manager.prepare()
        do {
            try await body(manager, store, clock, events, folder)
        } catch {
            try await store.close()
            throw error
        }
        try await store.close()
    }

    static func body(_ bytes: [UInt8]) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            continuation.yield(ByteBuffer(bytes: bytes))
            continuation.finish()
        }
    }

    static func start(_ manager: UploadManager, _ bytes: [UInt8]) async throws -> UploadSession {
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return try await manager.initUpload(principal, UploadInit(name: "a.bin", size: Int64(bytes.count), contentType: "application/pdf",
                                                                  sha256: hash))
    }

    static func put(_ manager: UploadManager, _ session: UploadSession, _ bytes: [UInt8]) async throws -> ChunkReceipt {
        try await manager.uploadChunk(principal, uploadId: session.uploadId, index: 0, digest: Array(SHA256.hash(data: bytes)),
                                      declaredLength: nil, body: body(bytes))
    }

    /// A client that goes away mid-chunk.
    struct ClientGone: Error {}

    @Test("a chunk body that breaks off stores nothing and is logged at info, not as a server error")
    func clientLeavesMidChunk() async throws {
        let capture = LogCapture()
        try await Self.withManager(logger: capture.logger) { manager, _, _, _, _ in
            let bytes: [UInt8] = Array(repeating: 9, count: 70_000)
            let session = try await Self.start(manager, bytes)
            let broken = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                continuation.yield(ByteBuffer(bytes: bytes.prefix(30_000)))
                continuation.finish(throwing: ClientGone())
            }
            await #expect(throws: ServiceError.self) {
                _ = try await manager.uploadChunk(Self.principal, uploadId: session.uploadId, index: 0, digest: Array(SHA256.hash(data: bytes)),
                                                  declaredLength: nil, body: broken)
            }
            #expect(try await manager.uploadStatus(Self.principal, uploadId: session.uploadId).missingChunks == [0])
            #expect(try await Self.put(manager, session, bytes).alreadyStored == false)
        }
        let records = capture.records.withLock { $0 }
        #expect(!records.contains { $0.level >= .warning })
        #expect(records.contains { $0.level == .info && $0.message.contains("ended early") })
    }

    @Test("the analytics hook hears of finalized, cancelled and expired sessions with their tenant")
    func events() async throws {
        try await Self.withManager { manager, _, clock, events, folder in
            let bytes: [UInt8] = Array(repeating: 7, count: 1000)
            let finalized = try await Self.start(manager, bytes)
            #expect(try await Self.put(manager, finalized, bytes).alreadyStored == false)
            _ = try await manager.finalizeUpload(Self.principal, uploadId: finalized.uploadId)
            let cancelled = try await Self.start(manager, bytes)
            try await manager.cancelUpload(Self.principal, uploadId: cancelled.uploadId)
            let expiring = try await Self.start(manager, bytes)
            #expect(try await Self.put(manager, expiring, bytes).size == 1000)
            #expect(try await manager.expireSessions() == 0, "nothing has expired yet")
            clock.advance(tenant: "acme", by: Limits.uploadExpirySeconds * 1000 + 1)
            #expect(try await manager.expireSessions() == 1)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("uploads/\(expiring.uploadId)").path))
            let kinds = events.received.withLock { $0 }
            #expect(kinds.map(\.0) == ["acme", "acme", "acme"])
            #expect(kinds.map(\.1) == [.finalized, .cancelled, .expired])
            let status = await #expect(throws: ServiceError.self) { try await manager.uploadStatus(Self.principal, uploadId: expiring.uploadId) }
            #expect(status?.code == .uploadExpired)
        }
    }

    @Test("at start, bytes the metadata does not reference are removed; referenced ones stay")
    func orphans() async throws {
        try await Self.withManager { manager, store, clock, _, folder in
            let bytes: [UInt8] = Array(repeating: 1, count: 10)
            let open = try await Self.start(manager, bytes)
            _ = try await Self.put(manager, open, bytes)
            let uploads = folder.appendingPathComponent("uploads")
            let files = folder.appendingPathComponent("files")
            let planted = [
                files.appendingPathComponent("f_half_written"), uploads.appendingPathComponent("\(open.uploadId)/c1_unrecorded"),
                uploads.appendingPathComponent("up_gone/c0_x"),
            ]
            for path in planted {
                try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data([1, 2, 3]).write(to: path)
            }
            let restarted = UploadManager(store: store, root: folder.path, clock: clock, logger: Logger(label: "test"))
            // Beside other nodes, recent entries may be their transfers in flight: kept.
            try await restarted.prepare(orphanGrace: .seconds(3600))
            for path in planted { #expect(FileManager.default.fileExists(atPath: path.path), "\(path.lastPathComponent)") }
            let old = Date(timeIntervalSinceNow: -7200)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: planted[0].path)
            try await restarted.prepare(orphanGrace: .seconds(3600))
            #expect(!FileManager.default.fileExists(atPath: planted[0].path), "an old orphan goes")
            #expect(FileManager.default.fileExists(atPath: planted[1].path))
            try await restarted.prepare()
            for path in planted { #expect(!FileManager.default.fileExists(atPath: path.path), "\(path.lastPathComponent)") }
            #expect(!FileManager.default.fileExists(atPath: uploads.appendingPathComponent("up_gone").path))
            let kept = try FileManager.default.contentsOfDirectory(atPath: uploads.appendingPathComponent(open.uploadId).path)
            #expect(kept.count == 1 && kept[0].hasPrefix("c0_"), "the recorded chunk stays")
            #expect(try await restarted.finalizeUpload(Self.principal, uploadId: open.uploadId).size == 10)
        }
    }

    @Test("ENOSPC and EDQUOT, however deep in the cause chain, are a full disk; other errors are not")
    func diskFull() {
        let noSpace = FileSystemError(code: .unknown, message: "write failed",
                                      cause: FileSystemError.SystemCallError(systemCall: "write", errno: .noSpace), location: .init(function: "f", file: "f", line: 1))
        let wrapped = FileSystemError(code: .unknown, message: "close failed", cause: noSpace, location: .init(function: "f", file: "f", line: 1))
        let quota = FileSystemError.SystemCallError(systemCall: "fsync", errno: .diskQuotaExceeded)
        let other = FileSystemError.SystemCallError(systemCall: "open", errno: .permissionDenied)
        #expect(UploadDiskError.isDiskFull(noSpace) && UploadDiskError.isDiskFull(wrapped) && UploadDiskError.isDiskFull(quota))
        #expect(!UploadDiskError.isDiskFull(other) && !UploadDiskError.isDiskFull(CancellationError()))
    }
}
