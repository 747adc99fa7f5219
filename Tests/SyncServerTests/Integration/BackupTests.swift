import Foundation
import SyncProtocol
import SyncServer
import SyncTestSupport
import Testing

/// `sync-server backup` against a running server: a consistent copy that a new server serves,
/// without the chunks of open uploads, and clear refusals that leave nothing behind.
@Suite("sync-server backup")
struct BackupTests {
    static func backup(_ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        try await CommandProcess.run("sync-server", arguments: ["backup"] + arguments, environment: ["SYNC_DB": ""])
    }

    @Test("a backup taken while the server writes restores every change, and open uploads start over")
    func backupAndRestore() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("copy.sqlite").path
        var uploadId = ""
        try await LiveServer.with { server in
            let token = try await server.token(tenant: "acme", device: "phone")
            for seq in 1...20 {
                #expect(try await server.push([LiveHealthTests.create(Int64(seq), "r\(seq)")], key: "k\(seq)", token: token).status == 200)
            }
            let uploads = try await UploadClient.device(server, tenant: "acme", device: "phone")
            let file = Data(repeating: 7, count: Int(Limits.minChunkBytes) * 2)
            let session = try await uploads.start(file)
            uploadId = session.uploadId
            #expect(try await uploads.put(session, index: 0, of: file).status == 201)
            // Writers keep going while the copy is taken.
            async let more: Void = {
                for seq in 21...40 {
                    _ = try await server.push([LiveHealthTests.create(Int64(seq), "r\(seq)")], key: "k\(seq)", token: token)
                }
            }()
            let run = try await Self.backup(["--db", server.process.databasePath, "--output", copy])
            try await more
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output.contains("chunk rows of open uploads left out") && run.output.contains("1 chunk rows"), "\(run.output)")
            let again = try await Self.backup(["--db", server.process.databasePath, "--output", copy])
            #expect(again.status == 1 && again.error.contains("already exists"), "\(again.error)")
        }
        // A server on the copy serves a prefix of the log without gaps, and the upload again
        // misses both chunks.
        let restored = ServerProcess(databasePath: copy)
        try await restored.start()
        defer { restored.terminate() }
        let server = LiveServer(process: restored, issuer: try await TokenIssuer(hs256Secret: restored.secret))
        let token = try await server.token(tenant: "acme", device: "phone")
        let pull = try await server.http("GET", "v1/sync/pull", token: token)
        #expect(pull.status == 200, "\(String(decoding: pull.body, as: UTF8.self))")
        let page = try JSONDecoder().decode(ChangePage.self, from: pull.body)
        let ids = page.changes.map(\.record.id)
        #expect(ids.count >= 20 && ids == (1...ids.count).map { "r\($0)" }, "\(ids)")
        let status = try await UploadClient(server: server, token: token).status(uploadId)
        #expect(status.status == 200)
        #expect(try status.decode(UploadSession.self).missingRanges?.first.map { ($0.first, $0.last) } ?? (-1, -1) == (0, 1))
    }

    @Test("refusals: no database, not a MobileSync database, a folder that does not exist")
    func refusals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.sqlite").path
        let missing = try await Self.backup(["--db", folder.appendingPathComponent("none.sqlite").path, "--output", output])
        #expect(missing.status == 1 && missing.error.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.sqlite").path))
        let other = folder.appendingPathComponent("other.sqlite").path
        try Data("SQLite format 3\0".utf8).write(to: URL(fileURLWithPath: other))
        let foreign = try await Self.backup(["--db", other, "--output", output])
        #expect(foreign.status == 1 && foreign.error.contains("sync-server backup:"), "\(foreign.error)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let nowhere = try await Self.backup(["--db", other, "--output", folder.appendingPathComponent("no/such/dir.sqlite").path])
        #expect(nowhere.status == 1 && nowhere.error.contains("does not exist"))
        let usage = try await Self.backup(["--db", other])
        #expect(usage.status == 64 && usage.error.contains("--output"))
    }
}
