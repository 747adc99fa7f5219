import SyncTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncProtocol
import SyncServer
import Testing

extension UploadIntegrationTests {
    /// The server killed with SIGKILL in the middle of an upload: after a restart the client reads
    /// the status, sends only the missing chunks and gets the right file.
    @Suite("uploads: crash and resume")
    struct UploadCrashTests {
        @Test("a SIGKILL mid-upload loses no stored chunk; the client resumes from status with only the missing ones")
        func resumeAfterKill() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upload-crash-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = folder.appendingPathComponent("sync.sqlite").path
            let chunkSize = Limits.minChunkBytes * 4
            let file = TestDigest.bytes(Int(chunkSize) * 12 + 777)

            let first = ServerProcess(databasePath: database)
            try await first.start()
            let issuer = try await TokenIssuer(hs256Secret: first.secret)
            let token = try await issuer.mint(tenant: "acme", user: "alice", device: "phone")
            let before = UploadClient(server: LiveServer(process: first, issuer: issuer), token: token)
            let session = try await before.start(file, chunkSize: chunkSize)
            #expect(session.chunkCount == 13)
            for index: Int64 in [0, 2, 4, 5, 7] { #expect(try await before.put(session, index: index, of: file).status == 201) }
            // More chunks in flight while the server dies under them.
            let inFlight = Task {
                await withTaskGroup(of: Void.self) { group in
                    for index: Int64 in [8, 9, 10, 11] { group.addTask { _ = try? await before.put(session, index: index, of: file) } }
                }
            }
            try await Task.sleep(for: .milliseconds(5))
            first.kill()
            _ = await inFlight.result

            let second = ServerProcess(databasePath: database)
            try await second.start()
            defer { second.terminate() }
            let after = UploadClient(server: LiveServer(process: second, issuer: issuer), token: token)
            let status = try await after.status(session.uploadId).decode(UploadSession.self)
            #expect(Set([0, 2, 4, 5, 7]).isSubset(of: Set(status.receivedChunks)), "every acknowledged chunk survived")
            let expectedBytes = status.receivedChunks.map { session.layoutLength($0, size: Int64(file.count)) }.reduce(0, +)
            #expect(status.bytesStored == expectedBytes)
            #expect(Set(status.missingChunks).isDisjoint(with: [0, 2, 4, 5, 7]))
            // Only the missing chunks are sent; finalize then finds the file complete and intact.
            for index in status.missingChunks {
                #expect(try await after.put(session, index: index, of: file).status == 201)
            }
            let stored = try await after.finalize(session.uploadId).decode(UploadedFile.self)
            #expect(stored.sha256 == TestDigest.hex(file))
            let download = try await after.download(stored.fileId)
            #expect(TestDigest.hex(download.body) == TestDigest.hex(file))
            let chunkFolder = folder.appendingPathComponent("uploads/\(session.uploadId)").path
            #expect(!FileManager.default.fileExists(atPath: chunkFolder), "the temporary chunks are gone after finalize")
        }
    }
}

extension UploadSession {
    /// The expected length of chunk `index` (UPL-3).
    func layoutLength(_ index: Int64, size: Int64) -> Int64 {
        min(chunkSize, size - index * chunkSize)
    }
}
