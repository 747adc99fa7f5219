public import SyncProtocol

extension UploadSession {
    /// Whether the server's session describes a file of `size` bytes as the protocol allows:
    /// the same size, a chunk size of at least `min_chunk_bytes` (or the whole file when it is
    /// smaller) and `chunk_count = ceil(size / chunk_size)`. The uploader trusts nothing else,
    /// so a broken or hostile answer cannot make it plan billions of chunks.
    public func describes(fileOfSize size: Int64) -> Bool {
        guard self.size == size, size > 0, chunkSize >= min(Limits.minChunkBytes, size) else { return false }
        return chunkCount == (size - 1) / chunkSize + 1
    }

    /// The indexes of the chunks still to send, ascending: from `missing_ranges` when the server
    /// sends them (1.3.0 and later, UPL-6), otherwise from the deprecated `missing_chunks`.
    /// Ranges outside `0 ..< chunk_count`, reversed or out of order are clipped or skipped, so a
    /// wrong answer cannot make the uploader loop over indexes that do not exist.
    public var missingIndexes: [Int64] {
        guard let ranges = missingRanges else { return missingChunks.filter { (0..<chunkCount).contains($0) } }
        var indexes: [Int64] = []
        for range in ranges where range.first <= range.last {
            let first = max(0, range.first, (indexes.last ?? -1) + 1), last = min(chunkCount - 1, range.last)
            if first <= last { indexes += Array(first...last) }
        }
        return indexes
    }
}
