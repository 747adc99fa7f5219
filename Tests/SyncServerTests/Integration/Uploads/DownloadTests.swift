import Foundation
import SyncProtocol
import Testing

extension UploadIntegrationTests {
    /// `downloadFile` over real HTTP: headers, single ranges, unsatisfiable ranges (UPL-13).
    @Suite("uploads: downloads with ranges")
    struct DownloadTests {
        @Test("downloads carry the spec's headers and honour single byte ranges (UPL-13)")
        func ranges() async throws {
            try await LiveServer.with { server in
                let client = try await UploadClient.device(server, tenant: "acme", device: "phone")
                let file = TestDigest.bytes(Int(Limits.minChunkBytes) + 500)
                let session = try await client.start(file, name: "Ünïcode report.pdf")
                for index: Int64 in 0..<2 { #expect(try await client.put(session, index: index, of: file).status == 201) }
                let stored = try await client.finalize(session.uploadId).decode(UploadedFile.self)
                let etag = "\"\(TestDigest.hex(file))\""

                let whole = try await client.download(stored.fileId)
                #expect(whole.status == 200 && whole.body == file)
                #expect(whole.headers["etag"] == etag && whole.headers["accept-ranges"] == "bytes")
                #expect(whole.headers["content-type"] == "application/octet-stream")
                #expect(whole.headers["x-content-type-options"] == "nosniff")
                #expect(whole.headers["content-length"] == "\(file.count)")
                #expect(whole.headers["content-disposition"]
                    == "attachment; filename=\"_n_code report.pdf\"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20report.pdf")

                let cases: [(range: String, first: Int, last: Int)] = [
                    ("bytes=0-99", 0, 99), ("bytes=100-", 100, file.count - 1), ("bytes=-10", file.count - 10, file.count - 1),
                    ("bytes=65530-70000", 65530, file.count - 1), ("bytes=-999999", 0, file.count - 1),
                ]
                for (range, first, last) in cases {
                    let partial = try await client.download(stored.fileId, headers: ["Range": range])
                    #expect(partial.status == 206, "\(range)")
                    #expect(partial.body == file.subdata(in: first..<(last + 1)), "\(range)")
                    #expect(partial.headers["content-range"] == "bytes \(first)-\(last)/\(file.count)", "\(range)")
                    #expect(partial.headers["etag"] == etag)
                }
                for range in ["bytes=\(file.count)-", "bytes=\(file.count + 10)-\(file.count + 20)", "bytes=-0"] {
                    let refused = try await client.download(stored.fileId, headers: ["Range": range])
                    #expect(refused.status == 416 && refused.code == "range_not_satisfiable", "\(range)")
                    #expect(refused.headers["content-range"] == "bytes */\(file.count)")
                }
                // Several ranges, a foreign If-Range or a malformed range: the whole file.
                for headers in [["Range": "bytes=0-1,5-6"], ["Range": "bytes=0-1", "If-Range": "\"other\""], ["Range": "bytes=abc"]] {
                    let reply = try await client.download(stored.fileId, headers: headers)
                    #expect(reply.status == 200 && reply.body == file, "\(headers)")
                }
                let matching = try await client.download(stored.fileId, headers: ["Range": "bytes=0-0", "If-Range": etag])
                #expect(matching.status == 206 && matching.body == file.prefix(1))
            }
        }
    }
}
