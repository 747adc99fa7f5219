@testable import SyncServer
import Testing

/// The scanner that finds unmasked client frames (RFC 6455 section 5.1) and frames announcing
/// more than a limit, from the headers alone.
@Suite struct FrameHeaderScannerTests {
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
        var scanner = FrameHeaderScanner()
        let masked = scanner.scan(frame(length: length) + frame(length: 3))
        let unmasked = scanner.scan(frame(length: 2, masked: false))
        #expect(masked == .fine && unmasked == .unmasked)
    }

    @Test(arguments: [0, 5, 126, 70_000])
    func anUnmaskedFrameIsFound(length: Int) {
        var scanner = FrameHeaderScanner()
        #expect(scanner.scan(frame(length: length, masked: false)) == .unmasked)
    }

    @Test func headersAndPayloadsSplitAcrossReadsAreFollowed() {
        let stream = frame(length: 300) + frame(length: 0, opcode: 0x9) + frame(length: 70_000) + frame(length: 1, masked: false)
        for chunk in [1, 2, 3, 7, 1000] {
            var scanner = FrameHeaderScanner()
            var verdict = FrameHeaderScanner.Verdict.fine
            var offset = 0
            while offset < stream.count, verdict == .fine {
                let end = min(offset + chunk, stream.count)
                verdict = scanner.scan(stream[offset..<end])
                offset = end
            }
            #expect(verdict == .unmasked, "chunk \(chunk)")
            #expect(offset > stream.count - 10, "chunk \(chunk): found only in the last frame")
        }
    }

    @Test func aHugeDeclaredLengthIsSkippedWithoutWork() {
        var scanner = FrameHeaderScanner()
        var header: [UInt8] = [0x82, 0x80 | 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]
        header += [UInt8](repeating: 0, count: 1000)
        let headerPasses = scanner.scan(header)
        let payloadPasses = scanner.scan([UInt8](repeating: 0, count: 100_000))
        #expect(headerPasses == .fine && payloadPasses == .fine)
    }

    @Test("a frame announcing exactly the limit passes, one byte more is too large, in every length encoding",
          arguments: [0, 1, 125, 126, 65535, 65536, 1 << 20])
    func lengthsAtTheLimit(limit: Int) {
        var atLimit = FrameHeaderScanner(maxPayload: UInt64(limit))
        #expect(atLimit.scan(frame(length: limit) + frame(length: 0)) == .fine)
        var overLimit = FrameHeaderScanner(maxPayload: UInt64(limit))
        #expect(overLimit.scan(frame(length: limit + 1)) == .tooLarge)
    }

    @Test("a too-large length is found from its header alone, byte by byte, before any payload")
    func tooLargeFromTheHeader() {
        for length in [126, 70_000, Int(Int32.max) + 1] {
            var scanner = FrameHeaderScanner(maxPayload: 125)
            let header = headerOnly(length: length)
            var verdicts: [FrameHeaderScanner.Verdict] = []
            for byte in header { verdicts.append(scanner.scan([byte])) }
            #expect(verdicts.last == .tooLarge, "length \(length)")
            #expect(verdicts.dropLast().allSatisfy { $0 == .fine }, "length \(length): refused at the last length byte, not before")
        }
        var absurd = FrameHeaderScanner(maxPayload: 1 << 20)
        #expect(absurd.scan([0x81, 0x80 | 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == .tooLarge)
    }

    /// A masked text frame's header up to its length field (no mask key, no payload).
    func headerOnly(length: Int) -> [UInt8] {
        if length < 126 { return [0x81, 0x80 | UInt8(length)] }
        if length <= 0xFFFF { return [0x81, 0x80 | 126, UInt8(length >> 8), UInt8(length & 0xFF)] }
        return [0x81, 0x80 | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(length) >> (UInt64($0) * 8)) }
    }
}
