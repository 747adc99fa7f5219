@testable import SyncServer
import Testing

/// The scanner that finds unmasked client frames (RFC 6455 section 5.1) from the headers alone.
@Suite struct FrameMaskScannerTests {
    /// A client frame header with the given payload length, masked or not, then the payload.
    func frame(length: Int, masked: Bool = true, opcode: UInt8 = 0x1) -> [UInt8] {
        let bit: UInt8 = masked ? 0x80 : 0
        var bytes: [UInt8] = [0x80 | opcode]
        if length < 126 {
            bytes.append(bit | UInt8(length))
        } else if length <= 0xFFFF {
            bytes += [bit | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            bytes.append(bit | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(length) >> (UInt64($0) * 8)) }
        }
        if masked { bytes += [1, 2, 3, 4] }
        return bytes + [UInt8](repeating: 0x41, count: length)
    }

    @Test(arguments: [0, 1, 125, 126, 127, 65535, 65536, 200_000])
    func maskedFramesOfEveryLengthEncodingPass(length: Int) {
        var scanner = FrameMaskScanner()
        let maskedPass = scanner.scan(frame(length: length) + frame(length: 3))
        let unmaskedPasses = scanner.scan(frame(length: 2, masked: false))
        #expect(maskedPass && !unmaskedPasses)
    }

    @Test(arguments: [0, 5, 126, 70_000])
    func anUnmaskedFrameIsFound(length: Int) {
        var scanner = FrameMaskScanner()
        let clean = scanner.scan(frame(length: length, masked: false))
        #expect(!clean)
    }

    @Test func headersAndPayloadsSplitAcrossReadsAreFollowed() {
        let stream = frame(length: 300) + frame(length: 0, opcode: 0x9) + frame(length: 70_000) + frame(length: 1, masked: false)
        for chunk in [1, 2, 3, 7, 1000] {
            var scanner = FrameMaskScanner()
            var clean = true
            var offset = 0
            while offset < stream.count, clean {
                let end = min(offset + chunk, stream.count)
                clean = scanner.scan(stream[offset..<end])
                offset = end
            }
            #expect(!clean, "chunk \(chunk)")
            #expect(offset > stream.count - 10, "chunk \(chunk): found only in the last frame")
        }
    }

    @Test func aHugeDeclaredLengthIsSkippedWithoutWork() {
        var scanner = FrameMaskScanner()
        var header: [UInt8] = [0x82, 0x80 | 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]
        header += [UInt8](repeating: 0, count: 1000)
        let headerPasses = scanner.scan(header)
        let payloadPasses = scanner.scan([UInt8](repeating: 0, count: 100_000))
        #expect(headerPasses && payloadPasses)
    }
}
