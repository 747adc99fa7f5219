import Foundation
import SyncProtocol
import Testing

extension UploadIntegrationTests {
    /// Chunk uploads and finalize against the `sync-server` process over real HTTP (UPL-1..8).
    @Suite("uploads: chunks and finalize over HTTP")
    struct UploadTransferTests {
        static let chunk = Limits.minChunkBytes

        @Test("init answers 201 with Location, the layout, all chunks missing and a 24 h expiry (UPL-1)")
        func initSession() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2 + 100)
                let reply = try await client.initUpload(size: Int64(file.count), sha256: TestDigest.hex(file), chunkSize: Self.chunk)
                #expect(reply.status == 201)
                let session = try reply.decode(UploadSession.self)
                #expect(reply.headers["location"] == "/v1/uploads/\(session.uploadId)")
                #expect(session.chunkCount == 3 && session.chunkSize == Self.chunk && session.state == .open)
                #expect(session.missingChunks == [0, 1, 2] && session.receivedChunks.isEmpty && session.bytesStored == 0)
                #expect(session.expiresAt == session.createdAt + Limits.uploadExpirySeconds * 1000)
                #expect(session.uploadId.count >= 22, "at least 122 random bits (UPL-11)")

                let defaulted = try await client.initUpload(size: 10, sha256: TestDigest.hex(Data(count: 10)))
                #expect(try defaulted.decode(UploadSession.self).chunkSize == Limits.defaultChunkBytes)
            }
        }

        @Test("chunks sent out of order and in parallel assemble into the declared file (UPL-5, UPL-7)")
        func parallelOutOfOrder() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 7 + 1234)
                let session = try await client.start(file)
                // Out of order: the last chunk first, then the rest concurrently.
                #expect(try await client.put(session, index: 7, of: file).status == 201)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in [3, 0, 6, 1, 5, 2, 4] as [Int64] {
                        group.addTask { try await client.put(session, index: index, of: file).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 201, count: 7))
                let status = try await client.status(session.uploadId).decode(UploadSession.self)
                #expect(status.receivedChunks == Array(0...7) && status.missingChunks.isEmpty && status.bytesStored == Int64(file.count))

                // Concurrent finalizes assemble the file once and all answer with it.
                let files = try await withThrowingTaskGroup(of: UploadedFile.self) { group in
                    for _ in 0..<3 { group.addTask { try await client.finalize(session.uploadId).decode(UploadedFile.self) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(files.map(\.fileId)).count == 1)
                let stored = files[0]
                #expect(stored.sha256 == TestDigest.hex(file) && stored.size == Int64(file.count) && stored.name == "photo.jpg")
                let again = try await client.finalize(session.uploadId)
                #expect(again.status == 200)
                #expect(try again.decode(UploadedFile.self) == stored, "a second finalize returns the same file (UPL-8)")
                let download = try await client.download(stored.fileId)
                #expect(download.status == 200 && download.body == file)
                let finalized = try await client.status(session.uploadId).decode(UploadSession.self)
                #expect(finalized.state == .finalized && finalized.fileId == stored.fileId)
                #expect(try await client.put(session, index: 0, of: file).code == "upload_finalized")
                #expect(try await client.cancel(session.uploadId).code == "upload_finalized")
            }
        }

        @Test("a chunk whose bytes do not match its digest is refused with 460 and accepted when re-sent intact (UPL-4)")
        func brokenChunk() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2)
                let session = try await client.start(file)
                let good = TestDigest.chunk(0, of: file, chunkSize: Self.chunk)
                var corrupted = good
                corrupted[100] ^= 0xFF
                let refused = try await client.put(session.uploadId, index: "0", corrupted, digest: TestDigest.header(good))
                #expect(refused.status == 460 && refused.code == "digest_mismatch")
                #expect(refused.headers["retry-after"] == "1", "at least the registry's 100 ms, rounded up to whole seconds (ERR-10)")
                #expect(try await client.status(session.uploadId).decode(UploadSession.self).receivedChunks.isEmpty, "the session is unchanged")
                let accepted = try await client.put(session.uploadId, index: "0", good)
                #expect(accepted.status == 201)
                let receipt = try accepted.decode(ChunkReceipt.self)
                #expect(receipt.alreadyStored == false && receipt.sha256 == TestDigest.hex(good) && receipt.size == Self.chunk)
            }
        }

        @Test("digest headers that are missing or unusable are refused with digest_missing (UPL-4)")
        func missingDigest() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk))
                let session = try await client.start(file)
                for digest in ["", "sha-256=abc", "md5=:AAAA:", "sha-256=:AAAA:", "sha-256=:\(String(repeating: "A", count: 43))=:, =="] {
                    let reply = try await client.put(session.uploadId, index: "0", file, digest: digest)
                    #expect(reply.status == 400 && reply.code == "digest_missing", "\(digest)")
                }
                let withOthers = "sha-512=:AAAA:, sha-256=\(TestDigest.header(file).dropFirst("sha-256=".count));p=1"
                #expect(try await client.put(session.uploadId, index: "0", file, digest: withOthers).status == 201)
                let wrongType = try await client.put(session.uploadId, index: "0", file, contentType: "application/json")
                #expect(wrongType.status == 415 && wrongType.code == "unsupported_media_type")
            }
        }

        @Test("wrong lengths, indexes out of range and non-integer indexes are refused (UPL-3)")
        func wrongChunks() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) + 10)
                let session = try await client.start(file)
                let short = try await client.put(session.uploadId, index: "0", file.prefix(Int(Self.chunk) - 1))
                #expect(short.status == 400 && short.code == "chunk_size_mismatch")
                let long = try await client.put(session.uploadId, index: "1", file.suffix(11))
                #expect(long.status == 400 && long.code == "chunk_size_mismatch", "the last chunk must be exactly the remainder")
                for index in ["2", "-1", "99999999999"] {
                    #expect(try await client.put(session.uploadId, index: index, file.suffix(10)).code == "chunk_index_out_of_range")
                }
                #expect(try await client.put(session.uploadId, index: "one", file.suffix(10)).code == "invalid_message")
                #expect(try await client.status(session.uploadId).decode(UploadSession.self).bytesStored == 0)
                #expect(try await client.put(session, index: 1, of: file).status == 201, "the remainder of 10 bytes is the last chunk")
            }
        }

        @Test("an identical re-send is a no-op 200; different bytes for a stored chunk are chunk_conflict (UPL-5)")
        func duplicates() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2)
                let session = try await client.start(file)
                #expect(try await client.put(session, index: 1, of: file).status == 201)
                let again = try await client.put(session, index: 1, of: file)
                #expect(again.status == 200)
                #expect(try again.decode(ChunkReceipt.self).alreadyStored)
                let other = TestDigest.bytes(Int(Self.chunk), seed: 99)
                let conflict = try await client.put(session.uploadId, index: "1", other)
                #expect(conflict.status == 409 && conflict.code == "chunk_conflict")
                let good = TestDigest.chunk(1, of: file, chunkSize: Self.chunk)
                let corrupted = try await client.put(session.uploadId, index: "1", other, digest: TestDigest.header(good))
                #expect(corrupted.code == "digest_mismatch", "a re-send is checked against its digest first")
                let folder = server.process.dataDirectory + "/uploads/\(session.uploadId)"
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "re-sends store nothing")
                // Concurrent identical sends of one index: one stores it, the others see it stored.
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 { group.addTask { try await client.put(session, index: 0, of: file).status } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.sorted() == [200, 200, 200, 201])
                #expect(try await client.status(session.uploadId).decode(UploadSession.self).bytesStored == Int64(file.count))
            }
        }

        @Test("finalize lists missing chunks; a whole-file hash mismatch discards every chunk (UPL-7)")
        func finalizeRefusals() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 3)
                let session = try await client.start(file)
                #expect(try await client.put(session, index: 1, of: file).status == 201)
                let incomplete = try await client.finalize(session.uploadId)
                #expect(incomplete.status == 409 && incomplete.code == "upload_incomplete")
                #expect(try incomplete.decode(Problem.self).missingChunks == [0, 2])

                // Declared hash of other bytes: every chunk verifies, the whole file does not.
                let declared = TestDigest.bytes(file.count, seed: 5)
                let mismatched = try await client.start(declared)
                for index: Int64 in 0..<3 { #expect(try await client.put(mismatched, index: index, of: file).status == 201) }
                let refused = try await client.finalize(mismatched.uploadId)
                #expect(refused.status == 422 && refused.code == "file_hash_mismatch")
                let after = try await client.status(mismatched.uploadId).decode(UploadSession.self)
                #expect(after.state == .open && after.missingChunks == [0, 1, 2] && after.bytesStored == 0)
                let chunkFolder = URL(fileURLWithPath: server.process.dataDirectory).appendingPathComponent("uploads/\(mismatched.uploadId)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: chunkFolder.path).isEmpty, "the chunk files are deleted")
                let files = try FileManager.default.contentsOfDirectory(atPath: server.process.dataDirectory + "/files")
                #expect(files.isEmpty, "no partial file is left")
                // The right bytes then finalize.
                for index: Int64 in 0..<3 { #expect(try await client.put(mismatched, index: index, of: declared).status == 201) }
                #expect(try await client.finalize(mismatched.uploadId).status == 200)
            }
        }
    }
}
