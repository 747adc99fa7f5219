@testable import SyncServer
import SyncProtocol
import Testing

/// How files split into chunks (UPL-1, UPL-3).
@Suite("chunk layout")
struct ChunkLayoutTests {
    @Test("count, lengths and missing chunks", arguments: [
        (1, 65536, 1, [1]), (65536, 65536, 1, [65536]), (65537, 65536, 2, [65536, 1]), (200_000, 65536, 4, [65536, 65536, 65536, 3392]),
    ] as [(Int64, Int64, Int64, [Int64])])
    func layout(size: Int64, chunkSize: Int64, count: Int64, lengths: [Int64]) {
        let layout = ChunkLayout(size: size, chunkSize: chunkSize)
        #expect(layout.chunkCount == count)
        #expect((0..<count).map(layout.length(of:)) == lengths)
        #expect(lengths.reduce(0, +) == size)
        #expect(!layout.contains(-1) && !layout.contains(count) && layout.contains(count - 1))
        #expect(layout.missing(from: [0]) == Array(1..<count))
    }

    @Test("the largest file in the smallest chunks")
    func extremes() {
        let layout = ChunkLayout(size: 5 * 1024 * 1024 * 1024, chunkSize: 65536)
        #expect(layout.chunkCount == 81920)
        #expect(layout.length(of: 81919) == 65536)
    }

    @Test("indexes become the fewest inclusive ranges (UPL-6)", arguments: [
        ([], []), ([0], [[0, 0]]), ([0, 1, 2, 5], [[0, 2], [5, 5]]), ([1, 3], [[1, 1], [3, 3]]),
        ([4, 5, 6, 7, 9, 10], [[4, 7], [9, 10]]),
    ] as [([Int64], [[Int64]])])
    func ranges(indexes: [Int64], expected: [[Int64]]) {
        #expect(ChunkLayout.ranges(indexes) == expected.map { ChunkRange(first: $0[0], last: $0[1]) })
    }

    @Test("a 5 GiB file with every other chunk stored has 40,960 missing ranges, one when none is stored")
    func largeRanges() {
        let layout = ChunkLayout(size: 5 * 1024 * 1024 * 1024, chunkSize: 65536)
        #expect(ChunkLayout.ranges(layout.missing(from: [])) == [ChunkRange(first: 0, last: 81919)])
        let evens = Set(stride(from: Int64(0), to: 81920, by: 2))
        #expect(ChunkLayout.ranges(layout.missing(from: evens)).count == 40960)
    }
}
