package import SyncProtocol

/// How a file of `size` bytes splits into chunks of `chunkSize` (UPL-3): chunk `i` holds bytes
/// `i * chunkSize ..< min((i + 1) * chunkSize, size)`.
package struct ChunkLayout: Sendable, Hashable {
    /// The file size in bytes (at least 1).
    package let size: Int64
    /// The size of every chunk but the last (at least 1).
    package let chunkSize: Int64

    /// A layout; `size` and `chunkSize` must be positive (checked by the wire validation first).
    package init(size: Int64, chunkSize: Int64) {
        precondition(size > 0 && chunkSize > 0, "a layout needs a positive size and chunk size")
        self.size = size
        self.chunkSize = chunkSize
    }

    /// `ceil(size / chunkSize)`.
    package var chunkCount: Int64 {
        (size - 1) / chunkSize + 1
    }

    /// Whether `index` is in `0 ..< chunkCount`.
    package func contains(_ index: Int64) -> Bool {
        (0..<chunkCount).contains(index)
    }

    /// The byte length chunk `index` must have: `chunkSize`, or the remainder for the last.
    package func length(of index: Int64) -> Int64 {
        min(chunkSize, size - index * chunkSize)
    }

    /// Every index that is not in `stored`, ascending.
    package func missing(from stored: Set<Int64>) -> [Int64] {
        (0..<chunkCount).filter { !stored.contains($0) }
    }

    /// Ascending indexes as the fewest ascending, non-adjacent inclusive ranges (UPL-6):
    /// `[0, 1, 2, 5]` is `0...2` and `5...5`.
    package static func ranges(_ ascending: [Int64]) -> [ChunkRange] {
        var ranges: [ChunkRange] = []
        for index in ascending {
            if let last = ranges.last, last.last &+ 1 == index {
                ranges[ranges.count - 1].last = index
            } else {
                ranges.append(ChunkRange(first: index, last: index))
            }
        }
        return ranges
    }
}
