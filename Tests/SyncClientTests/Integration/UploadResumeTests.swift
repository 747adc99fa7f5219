import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncServer
import SyncTestSupport
import Testing

/// A 64 MiB upload through `sync-client upload` survives the client being killed half way: the
/// second run reads the server's status and sends only the chunks the server lacks.
@Suite("sync-client upload resumes after a kill", .serialized)
struct UploadResumeTests {
    private struct Progress: Decodable {
        var chunk_count: Int64?
        var chunks_stored: Int64?
        var chunks_sent: Int64?
        var chunks_skipped: Int64?
        var file_id: String?
        var sha256: String?
        var size: Int64?
    }

    @Test("kill at half, resume, finalize: only missing chunks are sent and the stored file is intact")
    func killAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("upload-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = ServerProcess(databasePath: directory.appendingPathComponent("server.sqlite").path)
        try await server.start()
        defer { server.terminate() }

        // 64 MiB of deterministic bytes.
        let file = directory.appendingPathComponent("video.bin")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        var hasher = SHA256()
        var state: UInt64 = 42
        for _ in 0..<64 {
            var block = Data(count: 1 << 20)
            block.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for index in words.indices {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    words[index] = state
                }
            }
            hasher.update(data: block)
            try handle.write(contentsOf: block)
        }
        try handle.close()
        let expectedHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()

        let token = try await TokenIssuer(hs256Secret: server.secret).mint(tenant: "upload-\(UUID().uuidString.prefix(8))", user: "u", device: "d")
        let environment = ["SYNC_SERVER_URL": server.baseURL.absoluteString, "SYNC_TOKEN": token]
        let arguments = ["upload", "--store", directory.appendingPathComponent("client.sqlite").path, "--parallel", "2", file.path]

        // First run: killed once half the chunks are stored.
        let first = CommandProcess("sync-client", arguments: arguments, environment: environment)
        try first.start()
        var storedAtKill: Int64 = 0
        var chunkCount: Int64 = 0
        for await line in first.lines {
            guard let progress = try? JSONDecoder().decode(Progress.self, from: Data(line.utf8)),
                  let stored = progress.chunks_stored, let count = progress.chunk_count else { continue }
            chunkCount = count
            if stored >= count / 2 {
                first.kill()
                storedAtKill = stored
                break
            }
        }
        #expect(chunkCount == 64)
        #expect(storedAtKill >= 32 && storedAtKill < 64, "the kill must land half way: \(first.standardError)")

        // Second run: resumes the same session.
        let second = try await CommandProcess.run("sync-client", arguments: arguments, environment: environment, timeout: .seconds(300))
        #expect(second.status == 0, "\(second.error)")
        let lines = second.output.split(separator: "\n").compactMap { try? JSONDecoder().decode(Progress.self, from: Data($0.utf8)) }
        let start = try #require(lines.first)
        let skipped = try #require(start.chunks_skipped)
        // At least the chunks seen stored before the kill are skipped; chunks in flight at the kill may be too.
        #expect(skipped >= storedAtKill && skipped < 64)
        let lastProgress = try #require(lines.last { $0.chunks_sent != nil })
        #expect(lastProgress.chunks_sent == 64 - skipped)
        #expect(lastProgress.chunks_stored == 64)
        let uploaded = try #require(lines.last)
        #expect(uploaded.sha256 == expectedHash)
        #expect(uploaded.size == 64 << 20)

        // The server's copy is the file, byte for byte.
        var request = URLRequest(url: server.baseURL.appendingPathComponent("v1/files/\(try #require(uploaded.file_id))"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() == expectedHash)
    }
}
