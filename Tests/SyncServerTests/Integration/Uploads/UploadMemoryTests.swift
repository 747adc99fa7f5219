import Crypto
import Foundation
import SyncProtocol
import Testing

extension UploadIntegrationTests {
    /// The streaming bound: a 1 GiB upload does not grow the server process by more than a few MiB,
    /// because bodies go to disk and into the hash as they arrive (and finalize streams too).
    @Suite("uploads: memory bound")
    struct UploadMemoryTests {
        static let size: Int64 = 1 << 30
        static let chunkSize = Limits.maxChunkBytes
        /// Below the size of one chunk: a server that held a whole chunk could not pass.
        static let allowedGrowthKiB = 16 * 1024

        @Test("a 1 GiB upload and its finalize grow the server's peak memory by less than one 16 MiB chunk", .enabled(if: ProcessMemory.isAvailable))
        func oneGibibyte() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let generator = KeystreamBytes(blockLength: Int(Self.chunkSize))
                let chunkCount = Self.size / Self.chunkSize
                // The whole-file hash, from the bytes generated one chunk at a time.
                var hasher = SHA256()
                for index in 0..<chunkCount { hasher.update(data: try generator.block(index)) }
                let sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()

                // Warm up the paths (connections, buffers, SQLite) with a small upload first.
                let warmup = TestDigest.bytes(Int(Limits.minChunkBytes))
                let small = try await client.start(warmup)
                #expect(try await client.put(small, index: 0, of: warmup).status == 201)
                #expect(try await client.finalize(small.uploadId).status == 200)

                let pid = server.process.pid
                let before = try ProcessMemory.read(pid: pid)
                let session = try await client.initUpload(name: "big.bin", size: Self.size, sha256: sha256, chunkSize: Self.chunkSize)
                    .decode(UploadSession.self)
                let started = ContinuousClock.now
                // One chunk in flight at a time (one core stays free for the suites running beside this
                // one); the test holds only that chunk.
                for index in 0..<chunkCount {
                    let reply = try await client.put(session.uploadId, index: String(index), try generator.block(index))
                    guard reply.status == 201 else { throw UnexpectedReply(reply: reply) }
                }
                let uploaded = ContinuousClock.now
                let afterChunks = try ProcessMemory.read(pid: pid)
                let stored = try await client.finalize(session.uploadId).decode(UploadedFile.self)
                let finalized = ContinuousClock.now
                #expect(stored.sha256 == sha256 && stored.size == Self.size)

                let after = try ProcessMemory.read(pid: pid)
                let growth = after.peakKiB - before.residentKiB
                print("""
                    upload memory: RSS before \(before.residentKiB) KiB (peak \(before.peakKiB) KiB); peak after the chunks \
                    \(afterChunks.peakKiB) KiB, after finalize \(after.peakKiB) KiB; growth \(growth) KiB for \(Self.size >> 20) MiB; \
                    chunks \(uploaded - started), finalize \(finalized - uploaded)
                    """)
                #expect(growth < Self.allowedGrowthKiB, "peak RSS grew by \(growth) KiB")
            }
        }
    }
}

/// Deterministic pseudo-random blocks, fast even in a debug build: the ChaCha20 keystream of a
/// fixed key with the block number as nonce (BoringSSL does the work), so the test can make 1 GiB
/// twice, one block at a time, without loading the machine the other tests share.
struct KeystreamBytes: Sendable {
    let zeros: Data
    let key = SymmetricKey(data: Data(repeating: 42, count: 32))

    init(blockLength: Int) {
        zeros = Data(count: blockLength)
    }

    func block(_ index: Int64) throws -> Data {
        var nonce = Data(count: 12)
        withUnsafeBytes(of: UInt64(index).littleEndian) { nonce.replaceSubrange(0..<8, with: $0) }
        return try ChaChaPoly.seal(zeros, using: key, nonce: ChaChaPoly.Nonce(data: nonce)).ciphertext
    }
}

/// A process's memory figures from `/proc/<pid>/status` (Linux).
struct ProcessMemory {
    /// Current resident set size (`VmRSS`).
    var residentKiB: Int
    /// Peak resident set size since the process started (`VmHWM`).
    var peakKiB: Int

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/self/status") }

    static func read(pid: Int32) throws -> ProcessMemory {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func value(_ key: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return -1 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return ProcessMemory(residentKiB: value("VmRSS"), peakKiB: value("VmHWM"))
    }
}
