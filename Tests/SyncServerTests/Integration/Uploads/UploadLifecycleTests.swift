import Foundation
import SyncProtocol
import Testing

extension UploadIntegrationTests {
    /// Expiry, cancel, cleanup, scoping, limits and reset of uploads over real HTTP (UPL-2, UPL-9,
    /// UPL-10, UPL-12, UPL-14, TEST-3, TEST-5).
    @Suite("uploads: lifecycle and limits over HTTP")
    struct UploadLifecycleTests {
        static let chunk = Limits.minChunkBytes

        @Test("past expires_at on the tenant clock, chunks, status and finalize answer upload_expired; cleanup deletes the chunks (UPL-9, UPL-10)")
        func expiry() async throws {
            try await LiveServer.with(arguments: ["--upload-cleanup-interval", "1"]) { server in
                let before = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2)
                let session = try await before.start(file)
                #expect(try await before.put(session, index: 0, of: file).status == 201)
                let folder = server.process.dataDirectory + "/uploads/\(session.uploadId)"
                #expect(FileManager.default.fileExists(atPath: folder))

                let client = try await before.advanceClock(milliseconds: Limits.uploadExpirySeconds * 1000 + 1, tenant: "acme", device: "phone")
                #expect(try await client.status(session.uploadId).code == "upload_expired")
                #expect(try await client.put(session, index: 1, of: file).code == "upload_expired")
                let finalize = try await client.finalize(session.uploadId)
                #expect(finalize.status == 410 && finalize.code == "upload_expired")
                // The janitor runs every second here and removes the temporary data.
                let deadline = ContinuousClock.now + .seconds(10)
                while FileManager.default.fileExists(atPath: folder), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(!FileManager.default.fileExists(atPath: folder), "the expired session's chunks are deleted")
                #expect(try await client.status(session.uploadId).code == "upload_expired", "the session itself still answers expired")
                // Another tenant's clock is untouched: its sessions live on.
                let other = try await UploadClient.device(server, tenant: "globex", device: "phone")
                let living = try await other.start(file)
                #expect(try await other.put(living, index: 0, of: file).status == 201)
            }
        }

        @Test("cancel deletes the chunks and the session answers not_found afterwards (UPL-10)")
        func cancel() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2)
                let session = try await client.start(file)
                #expect(try await client.put(session, index: 0, of: file).status == 201)
                #expect(try await client.cancel(session.uploadId).status == 204)
                #expect(!FileManager.default.fileExists(atPath: server.process.dataDirectory + "/uploads/\(session.uploadId)"))
                #expect(try await client.status(session.uploadId).code == "not_found")
                #expect(try await client.put(session, index: 1, of: file).code == "not_found")
                #expect(try await client.cancel(session.uploadId).code == "not_found")
                // Known paths with another method (ERR-7).
                let patch = try await client.send("PATCH", "v1/uploads/\(session.uploadId)")
                #expect(patch.status == 405 && patch.headers["allow"] == "GET, DELETE")
                #expect(try await client.send("GET", "v1/uploads").headers["allow"] == "POST")
            }
        }

        @Test("sessions belong to their device, files to their tenant (UPL-12)")
        func scoping() async throws {
            try await LiveServer.with { server in
                let owner = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let sibling = try await UploadClient.device(server, tenant: "acme", device: "tablet")
                let stranger = try await UploadClient.device(server, tenant: "globex", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk))
                let session = try await owner.start(file)
                for client in [sibling, stranger] {
                    #expect(try await client.status(session.uploadId).code == "not_found")
                    #expect(try await client.put(session, index: 0, of: file).code == "not_found")
                    #expect(try await client.finalize(session.uploadId).code == "not_found")
                    #expect(try await client.cancel(session.uploadId).code == "not_found")
                }
                #expect(try await owner.put(session, index: 0, of: file).status == 201)
                let stored = try await owner.finalize(session.uploadId).decode(UploadedFile.self)
                #expect(try await sibling.download(stored.fileId).body == file, "any token of the tenant may download")
                let operatorToken = try await server.token(tenant: "acme", device: nil, roles: ["operator"])
                #expect(try await UploadClient(server: server, token: operatorToken).download(stored.fileId).status == 200)
                #expect(try await stranger.download(stored.fileId).code == "not_found")
                #expect(try await owner.download("f_missing").code == "not_found")
                let noDevice = try await UploadClient(server: server, token: operatorToken).initUpload(size: 1, sha256: TestDigest.hex(Data([1])))
                #expect(noDevice.status == 403 && noDevice.code == "forbidden")
            }
        }

        @Test("init refuses sizes past the limit, chunk sizes outside the bounds and a 17th open session (UPL-2)")
        func initLimits() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let hash = TestDigest.hex(Data())
                let tooLarge = try await client.initUpload(size: Limits.maxUploadBytes + 1, sha256: hash)
                #expect(tooLarge.status == 413 && tooLarge.code == "upload_too_large")
                for chunkSize in [Limits.minChunkBytes - 1, Limits.maxChunkBytes + 1] {
                    #expect(try await client.initUpload(size: 10, sha256: hash, chunkSize: chunkSize).code == "invalid_message")
                }
                #expect(try await client.initUpload(size: 10, sha256: "ABC").code == "invalid_message")
                var sessions: [UploadSession] = []
                for _ in 0..<Limits.maxUploadsPerDevice {
                    sessions.append(try await client.initUpload(size: 10, sha256: hash).decode(UploadSession.self))
                }
                let refused = try await client.initUpload(size: 10, sha256: hash)
                #expect(refused.status == 429 && refused.code == "too_many_uploads" && refused.headers["retry-after"] != nil)
                let otherDevice = try await UploadClient.device(server, tenant: "acme", device: "tablet")
                #expect(try await otherDevice.initUpload(size: 10, sha256: hash).status == 201, "the limit is per device")
                #expect(try await client.cancel(sessions[0].uploadId).status == 204)
                #expect(try await client.initUpload(size: 10, sha256: hash).status == 201, "a cancelled session frees a place")
            }
        }

        @Test("a tenant quota that cannot take the declared size answers storage_full and creates nothing (UPL-14)")
        func quota() async throws {
            try await LiveServer.with(arguments: ["--storage-quota", "\(Self.chunk * 3)"]) { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk) * 2)
                let session = try await client.start(file)
                let refused = try await client.initUpload(size: Self.chunk * 2, sha256: TestDigest.hex(file))
                #expect(refused.status == 507 && refused.code == "storage_full" && refused.headers["retry-after"] != nil)
                for index: Int64 in 0..<2 { #expect(try await client.put(session, index: index, of: file).status == 201) }
                #expect(try await client.finalize(session.uploadId).status == 200)
                #expect(try await client.initUpload(size: Self.chunk, sha256: TestDigest.hex(file)).status == 201, "what is left still fits")
                #expect(try await client.initUpload(size: 1, sha256: TestDigest.hex(file)).code == "storage_full")
                // The quota is per tenant: another tenant has all of it.
                let other = try await UploadClient.device(server, tenant: "globex", device: "phone")
                #expect(try await other.initUpload(size: Self.chunk * 3, sha256: TestDigest.hex(file)).status == 201)
            }
        }

        @Test("hostile names are sanitised and never reach the disk (UPL-11)")
        func hostileNames() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(100)
                let cases: [(name: String, expected: String)] = [
                    ("../../etc/passwd", "passwd"), ("/absolute/path.txt", "path.txt"), ("..\\..\\windows\\system32.dll", "system32.dll"),
                    ("nul\u{0}byte.txt", "nulbyte.txt"), ("..", "file"), (" . . ", "file"), ("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"),
                    ("evil\u{202E}gpj.exe", "evilgpj.exe"), ("\u{FF0F}etc\u{FF0F}passwd", "\u{FF0F}etc\u{FF0F}passwd"),
                    (String(repeating: "é", count: 255), String(repeating: "é", count: 255)),
                ]
                for (name, expected) in cases {
                    let session = try await client.start(file, name: name)
                    #expect(session.name == expected, "\(name.debugDescription)")
                    #expect(try await client.put(session, index: 0, of: file).status == 201)
                    let stored = try await client.finalize(session.uploadId).decode(UploadedFile.self)
                    #expect(stored.name == expected)
                    let download = try await client.download(stored.fileId)
                    #expect(download.body == file)
                    #expect(download.headers["content-disposition"]?.hasPrefix("attachment; filename=\"") == true)
                }
                let entries = try FileManager.default.subpathsOfDirectory(atPath: server.process.dataDirectory)
                let idShaped = entries.filter { $0.hasPrefix("files/") || $0.hasPrefix("uploads/") }
                #expect(idShaped.allSatisfy { $0.split(separator: "/").dropFirst().allSatisfy { UploadTestNames.isIdentifier($0) } })
                #expect(!FileManager.default.fileExists(atPath: "/etc/passwd.uploaded"))
            }
        }

        @Test("reset deletes the tenant's sessions and files, bytes included (TEST-3)")
        func reset() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Self.chunk))
                let done = try await client.start(file)
                #expect(try await client.put(done, index: 0, of: file).status == 201)
                let stored = try await client.finalize(done.uploadId).decode(UploadedFile.self)
                let open = try await client.start(file)
                #expect(try await client.put(open, index: 0, of: file).status == 201)
                #expect(try await client.send("POST", "v1/test/reset").status == 200)
                #expect(try await client.download(stored.fileId).code == "not_found")
                #expect(try await client.status(open.uploadId).code == "not_found")
                let data = server.process.dataDirectory
                #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/files").isEmpty)
                #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/uploads").isEmpty)
            }
        }
    }
}

enum UploadTestNames {
    /// Whether a path component is a server-generated identifier.
    static func isIdentifier(_ component: Substring) -> Bool {
        !component.isEmpty && component.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
