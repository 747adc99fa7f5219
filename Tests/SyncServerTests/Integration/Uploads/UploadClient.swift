import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncProtocol

/// A device's side of the upload protocol over real HTTP, for integration tests.
struct UploadClient {
    let server: LiveServer
    let token: String

    /// One HTTP answer.
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The problem code of an error answer.
        var code: String? { (try? JSONDecoder().decode(Problem.self, from: body))?.code }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: body)
        }
    }

    /// A client for a new device token of `tenant`.
    static func device(_ server: LiveServer, tenant: String, device: String) async throws -> UploadClient {
        UploadClient(server: server, token: try await server.token(tenant: tenant, device: device))
    }

    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        let reply = try await server.http(method, path, token: token, body: body, headers: headers)
        return Reply(status: reply.status, headers: reply.headers, body: reply.body)
    }

    func initUpload(name: String = "photo.jpg", size: Int64, sha256: String, chunkSize: Int64? = nil,
                    contentType: String = "image/jpeg") async throws -> Reply {
        let body = WireCodec.encode(UploadInit(name: name, size: size, contentType: contentType, sha256: sha256, chunkSize: chunkSize))
        return try await send("POST", "v1/uploads", body: body)
    }

    /// Starts an upload of `bytes` and returns the session.
    func start(_ bytes: Data, name: String = "photo.jpg", chunkSize: Int64 = Limits.minChunkBytes) async throws -> UploadSession {
        let reply = try await initUpload(name: name, size: Int64(bytes.count), sha256: TestDigest.hex(bytes), chunkSize: chunkSize)
        guard reply.status == 201 else { throw UnexpectedReply(reply: reply) }
        return try reply.decode(UploadSession.self)
    }

    /// `PUT` of one chunk; the digest is that of `bytes` unless given.
    func put(_ uploadId: String, index: String, _ bytes: Data, digest: String? = nil,
             contentType: String = "application/octet-stream") async throws -> Reply {
        try await send("PUT", "v1/uploads/\(uploadId)/chunks/\(index)", body: bytes,
                       headers: ["Content-Type": contentType, "Content-Digest": digest ?? TestDigest.header(bytes)])
    }

    /// `PUT` of chunk `index` of `file` under the session's layout.
    func put(_ session: UploadSession, index: Int64, of file: Data) async throws -> Reply {
        try await put(session.uploadId, index: String(index), TestDigest.chunk(index, of: file, chunkSize: session.chunkSize))
    }

    func status(_ uploadId: String) async throws -> Reply { try await send("GET", "v1/uploads/\(uploadId)") }
    func finalize(_ uploadId: String) async throws -> Reply { try await send("POST", "v1/uploads/\(uploadId)/finalize") }
    func cancel(_ uploadId: String) async throws -> Reply { try await send("DELETE", "v1/uploads/\(uploadId)") }
    func download(_ fileId: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", "v1/files/\(fileId)", headers: headers)
    }

    /// Moves the tenant's clock (test control) and returns a client whose token is minted at the
    /// tenant's new time (the old one may have expired in that time).
    func advanceClock(milliseconds: Int64, tenant: String, device: String) async throws -> UploadClient {
        let reply = try await send("POST", "v1/test/clock", body: WireCodec.encode(ClockRequest(advanceMs: milliseconds)))
        guard reply.status == 200 else { throw UnexpectedReply(reply: reply) }
        let now = try reply.decode(ClockState.self).nowMs
        let token = try await server.issuer.mint(tenant: tenant, user: "user-\(device)", device: device, nowMilliseconds: now)
        return UploadClient(server: server, token: token)
    }
}

struct UnexpectedReply: Error, CustomStringConvertible {
    var reply: UploadClient.Reply
    var description: String { "unexpected HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))" }
}

/// Digests and test bytes.
enum TestDigest {
    static func hex(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// An RFC 9530 `Content-Digest` value for `bytes`.
    static func header(_ bytes: Data) -> String {
        "sha-256=:\(Data(SHA256.hash(data: bytes)).base64EncodedString()):"
    }

    /// Chunk `index` of `file` (UPL-3).
    static func chunk(_ index: Int64, of file: Data, chunkSize: Int64) -> Data {
        let start = Int(index * chunkSize)
        return file.subdata(in: start..<min(start + Int(chunkSize), file.count))
    }

    /// `count` deterministic pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64 = 7) -> Data {
        PseudoRandomBytes(seed: seed).bytes(from: 0, count: count)
    }
}

/// The conformance vectors' blob bytes: SplitMix64 from `seed`, little-endian 8-byte words,
/// addressable at any word-aligned offset so large files can be generated piece by piece.
struct PseudoRandomBytes {
    let seed: UInt64

    /// The bytes `offset ..< offset + count`; `offset` must be a multiple of 8.
    func bytes(from offset: Int64, count: Int) -> Data {
        precondition(offset % 8 == 0, "word-aligned offsets only")
        var data = Data(count: count)
        let first = UInt64(offset / 8)
        data.withUnsafeMutableBytes { buffer in
            let words = buffer.count / 8
            let whole = buffer.baseAddress!.bindMemory(to: UInt64.self, capacity: words)
            for index in 0..<words {
                whole[index] = word(first &+ UInt64(index)).littleEndian
            }
            var tail = word(first &+ UInt64(words)).littleEndian
            withUnsafeBytes(of: &tail) { bytes in
                for index in 0..<(buffer.count - words * 8) { buffer[words * 8 + index] = bytes[index] }
            }
        }
        return data
    }

    /// Word `index` of the stream: the `index + 1`-th SplitMix64 output.
    private func word(_ index: UInt64) -> UInt64 {
        var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
