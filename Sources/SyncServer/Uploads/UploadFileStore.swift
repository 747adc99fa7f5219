import Crypto
package import Foundation
package import NIOCore
package import _NIOFileSystem

/// The bytes of uploads on disk, under the data directory: `uploads/<upload_id>/<blob>` for
/// verified chunks and `files/<file_id>` for finalized files. Every path component is a
/// server-generated identifier (UPL-11); client input never reaches a path. Files are created
/// transactionally (visible under their name only once complete and synchronised), so a failure
/// or a crash never leaves a partial file under a name the metadata can point to.
package struct UploadFileStore: Sendable {
    /// The root folder (the server's data directory).
    package let root: FilePath
    private let fileSystem = FileSystem.shared
    /// Bytes gathered before one write to disk, and read from disk at a time: with one block in
    /// flight per transfer, this bounds the memory a transfer holds.
    static let blockBytes: Int64 = 512 * 1024

    /// A store under `root`; call `prepare()` before use.
    package init(root: String) {
        self.root = FilePath(root)
    }

    private var uploadsFolder: FilePath { root.appending("uploads") }
    private var filesFolder: FilePath { root.appending("files") }

    private func folder(upload uploadId: String) -> FilePath {
        uploadsFolder.appending(UploadIdentifier.checkedComponent(uploadId))
    }

    private func path(upload uploadId: String, blob: String) -> FilePath {
        folder(upload: uploadId).appending(UploadIdentifier.checkedComponent(blob))
    }

    private func path(file fileId: String) -> FilePath {
        filesFolder.appending(UploadIdentifier.checkedComponent(fileId))
    }

    /// Creates the folders.
    package func prepare() async throws {
        try await fileSystem.createDirectory(at: uploadsFolder, withIntermediateDirectories: true, permissions: nil)
        try await fileSystem.createDirectory(at: filesFolder, withIntermediateDirectories: true, permissions: nil)
    }

    /// Streams `body` into the chunk file `blob` of the session while hashing it, and makes the file
    /// visible only when it has exactly `expectedLength` bytes whose SHA-256 is `expectedDigest`;
    /// otherwise throws `UploadDiskError` and keeps nothing (UPL-3, UPL-4, UPL-14).
    package func writeChunk<Body: AsyncSequence>(upload uploadId: String, blob: String, body: Body, expectedLength: Int64,
                                                 expectedDigest: [UInt8]) async throws where Body.Element == ByteBuffer {
        let folder = folder(upload: uploadId)
        try await fileSystem.createDirectory(at: folder, withIntermediateDirectories: true, permissions: nil)
        try await UploadDiskError.mapping {
            try await fileSystem.withFileHandle(forWritingAt: path(upload: uploadId, blob: blob), options: .newFile(replaceExisting: false)) { handle in
                var writer = HashingWriter(handle: handle)
                for try await buffer in body {
                    guard writer.length + Int64(buffer.readableBytes) <= expectedLength else { throw UploadDiskError(.lengthMismatch) }
                    try await writer.append(buffer)
                }
                try await writer.flush()
                guard writer.length == expectedLength else { throw UploadDiskError(.lengthMismatch) }
                guard Array(writer.digest()) == expectedDigest else { throw UploadDiskError(.digestMismatch) }
                try await handle.synchronize()
            }
            // The new name is durable before the metadata points at it.
            try await fileSystem.withDirectoryHandle(atPath: folder) { try await $0.synchronize() }
        }
    }

    /// Reads `body` only to check its length and digest, as `writeChunk` does, storing nothing:
    /// for a re-sent chunk that is already stored (UPL-5).
    package func verify<Body: AsyncSequence>(body: Body, expectedLength: Int64, expectedDigest: [UInt8]) async throws
    where Body.Element == ByteBuffer {
        var hasher = SHA256()
        var length: Int64 = 0
        for try await buffer in body {
            length += Int64(buffer.readableBytes)
            guard length <= expectedLength else { throw UploadDiskError(.lengthMismatch) }
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        guard length == expectedLength else { throw UploadDiskError(.lengthMismatch) }
        guard Array(hasher.finalize()) == expectedDigest else { throw UploadDiskError(.digestMismatch) }
    }

    /// Concatenates the chunks into `files/<fileId>` while hashing, and makes the file visible
    /// atomically only when its SHA-256 is `expectedSHA256` (lowercase hex); otherwise throws
    /// `UploadDiskError(.digestMismatch)` and keeps nothing (UPL-7).
    package func assemble(upload uploadId: String, chunks: [UploadChunkEntry], into fileId: String, expectedSHA256: String) async throws {
        try await UploadDiskError.mapping {
            try await fileSystem.withFileHandle(forWritingAt: path(file: fileId), options: .newFile(replaceExisting: false)) { output in
                var writer = HashingWriter(handle: output)
                for chunk in chunks {
                    try await read(path(upload: uploadId, blob: chunk.blob), range: 0...(chunk.size - 1)) { try await writer.append($0) }
                }
                try await writer.flush()
                guard HexDigest.encode(writer.digest()) == expectedSHA256 else { throw UploadDiskError(.digestMismatch) }
                try await output.synchronize()
            }
            try await fileSystem.withDirectoryHandle(atPath: filesFolder) { try await $0.synchronize() }
        }
    }

    /// Hands the bytes `range` of a finalized file to `body`, one block at a time.
    package func read(file fileId: String, range: ClosedRange<Int64>, _ body: (ByteBuffer) async throws -> Void) async throws {
        try await read(path(file: fileId), range: range, body)
    }

    /// Reads one block at a time and waits for `body` before reading the next (no read-ahead,
    /// so memory stays at one block however slow the consumer is).
    private func read(_ path: FilePath, range: ClosedRange<Int64>, _ body: (ByteBuffer) async throws -> Void) async throws {
        try await fileSystem.withFileHandle(forReadingAt: path) { handle in
            var offset = range.lowerBound
            while offset <= range.upperBound {
                let length = min(Self.blockBytes, range.upperBound - offset + 1)
                let buffer = try await handle.readChunk(fromAbsoluteOffset: offset, length: .bytes(length))
                guard buffer.readableBytes > 0 else { throw UploadDiskError(.truncated) }
                offset += Int64(buffer.readableBytes)
                try await body(buffer)
            }
        }
    }

    /// Deletes a session's folder and every chunk in it.
    package func removeUpload(_ uploadId: String) async throws {
        try await fileSystem.removeItem(at: folder(upload: uploadId), recursively: true)
    }

    /// Deletes one chunk file.
    package func removeChunk(upload uploadId: String, blob: String) async throws {
        try await fileSystem.removeItem(at: path(upload: uploadId, blob: blob), recursively: false)
    }

    /// Deletes a finalized file.
    package func removeFile(_ fileId: String) async throws {
        try await fileSystem.removeItem(at: path(file: fileId), recursively: false)
    }

    /// Deletes what the metadata does not reference: folders of sessions that are not open, chunk
    /// files never recorded (a crash between write and commit) and files never finalized. Run it
    /// before serving, when no transfer of this process is in flight; with a `cutoff`, entries
    /// modified after it are kept (another node's transfer may be in flight). Returns how many
    /// entries it removed.
    package func removeOrphans(keeping index: UploadStorageIndex, unchangedSince cutoff: Date? = nil) async throws -> Int {
        var removed = 0
        for name in try await entries(of: uploadsFolder) {
            let folder = uploadsFolder.appending(name)
            guard index.openUploads.contains(name) else {
                if Self.unchanged(folder, since: cutoff) { removed += try await fileSystem.removeItem(at: folder, recursively: true) }
                continue
            }
            let kept = index.chunkBlobs[name] ?? []
            for blob in try await entries(of: folder) where !kept.contains(blob) && Self.unchanged(folder.appending(blob), since: cutoff) {
                removed += try await fileSystem.removeItem(at: folder.appending(blob), recursively: true)
            }
        }
        for name in try await entries(of: filesFolder) where !index.files.contains(name) && Self.unchanged(filesFolder.appending(name), since: cutoff) {
            removed += try await fileSystem.removeItem(at: filesFolder.appending(name), recursively: true)
        }
        return removed
    }

    /// Whether the entry was last modified before `cutoff` (always, without one).
    private static func unchanged(_ path: FilePath, since cutoff: Date?) -> Bool {
        guard let cutoff else { return true }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path.string))?[.modificationDate] as? Date
        return modified.map { $0 < cutoff } ?? false
    }

    private func entries(of folder: FilePath) async throws -> [String] {
        try await fileSystem.withDirectoryHandle(atPath: folder) { directory in
            var names: [String] = []
            for try await entry in directory.listContents() { names.append(entry.name.string) }
            return names
        }
    }
}

/// Writes to a file in blocks of `UploadFileStore.blockBytes` while hashing what passes.
private struct HashingWriter {
    let handle: WriteFileHandle
    private var hasher = SHA256()
    private var pending = ByteBuffer()
    private var written: Int64 = 0

    init(handle: WriteFileHandle) {
        self.handle = handle
    }

    /// Bytes received so far.
    var length: Int64 { written + Int64(pending.readableBytes) }

    mutating func append(_ buffer: ByteBuffer) async throws {
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        var buffer = buffer
        pending.writeBuffer(&buffer)
        if pending.readableBytes >= UploadFileStore.blockBytes { try await flush() }
    }

    mutating func flush() async throws {
        guard pending.readableBytes > 0 else { return }
        written += try await handle.write(contentsOf: pending, toAbsoluteOffset: written)
        pending.clear()
    }

    func digest() -> SHA256.Digest { hasher.finalize() }
}
