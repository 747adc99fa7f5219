public import SyncProtocol

extension UploadSession {
    /// The indexes of the chunks still to send, ascending: from `missing_ranges` when the server
    /// sends them (1.3.0 and later, UPL-6), otherwise from the deprecated `missing_chunks`.
    /// Ranges outside `0 ..< chunk_count` are clipped, so a wrong answer cannot make the
    /// uploader loop over indexes that do not exist.
    public var missingIndexes: [Int64] {
        guard let ranges = missingRanges else { return missingChunks }
        var indexes: [Int64] = []
        for range in ranges where range.first <= range.last {
            let first = max(0, range.first), last = min(chunkCount - 1, range.last)
            if first <= last, indexes.last.map({ $0 < first }) ?? true { indexes += Array(first...last) }
        }
        return indexes
    }
}
