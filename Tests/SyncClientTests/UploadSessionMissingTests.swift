import SyncClient
import SyncProtocol
import Testing

/// What the uploader takes from a server's upload session: ranges in preference to the
/// deprecated index list, and nothing outside the file's own chunk layout.
@Suite struct UploadSessionMissingTests {
    static func session(size: Int64 = 655_360, chunkSize: Int64 = 65_536, chunkCount: Int64 = 10, missing: [Int64] = [],
                        ranges: [(Int64, Int64)]? = nil) -> UploadSession {
        UploadSession(uploadId: "up_1", name: "f.bin", size: size, contentType: "application/octet-stream", sha256: String(repeating: "0", count: 64),
                      chunkSize: chunkSize, chunkCount: chunkCount, receivedChunks: [], missingChunks: missing,
                      missingRanges: ranges?.map { ChunkRange(first: $0.0, last: $0.1) }, bytesStored: 0, state: .open,
                      createdAt: 0, expiresAt: 1)
    }

    @Test func rangesWinOverTheIndexList() {
        #expect(Self.session(missing: [9], ranges: [(1, 2), (5, 5), (7, 9)]).missingIndexes == [1, 2, 5, 7, 8, 9])
        #expect(Self.session(missing: [3, 4]).missingIndexes == [3, 4])
        #expect(Self.session(missing: [0], ranges: []).missingIndexes == [])
    }

    @Test func indexesOutsideTheLayoutOrOutOfOrderAreDropped() {
        let far = Int64.max
        #expect(Self.session(ranges: [(-5, 1), (8, far), (4, 3)]).missingIndexes == [0, 1, 8, 9])
        #expect(Self.session(ranges: [(2, 6), (4, 7), (1, 1)]).missingIndexes == [2, 3, 4, 5, 6, 7])
        #expect(Self.session(ranges: [(Int64.min, far)]).missingIndexes == Array(0...9))
        #expect(Self.session(missing: [-1, 0, 10, far]).missingIndexes == [0])
    }

    @Test func onlyASessionThatFitsTheFileIsTrusted() {
        #expect(Self.session().describes(fileOfSize: 655_360))
        #expect(Self.session(size: 100, chunkSize: 100, chunkCount: 1).describes(fileOfSize: 100))
        #expect(!Self.session().describes(fileOfSize: 655_361), "another size")
        #expect(!Self.session(chunkCount: 11).describes(fileOfSize: 655_360), "a count that does not fit the chunk size")
        #expect(!Self.session(chunkSize: 1, chunkCount: 655_360).describes(fileOfSize: 655_360), "chunks below min_chunk_bytes")
        #expect(!Self.session(size: 5_368_709_120, chunkSize: 1, chunkCount: 5_368_709_120).describes(fileOfSize: 5_368_709_120))
        #expect(!Self.session(chunkSize: 0).describes(fileOfSize: 655_360))
        #expect(!Self.session(chunkCount: Int64.max).describes(fileOfSize: 655_360))
    }
}
