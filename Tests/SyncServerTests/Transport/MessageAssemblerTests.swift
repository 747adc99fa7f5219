import Foundation
@testable import SyncServer
import Testing

/// Reassembly of fragmented messages and the message size limit, without sockets.
@Suite struct MessageAssemblerTests {
    private func bytes(_ text: String) -> Data { Data(text.utf8) }

    @Test func aSingleFrameIsAMessage() {
        var assembler = MessageAssembler(maxBytes: 16)
        #expect(assembler.append(.text, fin: true, payload: bytes("{\"a\":1}")) == .message(.text(bytes("{\"a\":1}"))))
        #expect(assembler.append(.binary, fin: true, payload: bytes("x")) == .message(.binary))
    }

    @Test func fragmentsAreJoined() {
        var assembler = MessageAssembler(maxBytes: 16)
        #expect(assembler.append(.text, fin: false, payload: bytes("{\"a\"")) == .incomplete)
        #expect(assembler.append(.continuation, fin: false, payload: bytes(":")) == .incomplete)
        #expect(assembler.append(.continuation, fin: true, payload: bytes("1}")) == .message(.text(bytes("{\"a\":1}"))))
        // Empty fragments before the last one: the message is the last fragment's bytes.
        #expect(assembler.append(.text, fin: false, payload: Data()) == .incomplete)
        #expect(assembler.append(.continuation, fin: false, payload: Data()) == .incomplete)
        #expect(assembler.append(.continuation, fin: true, payload: bytes("{}")) == .message(.text(bytes("{}"))))
        // Nothing of a joined message stays behind for the next one.
        #expect(assembler.append(.text, fin: false, payload: bytes("[1")) == .incomplete)
        #expect(assembler.append(.continuation, fin: true, payload: bytes("]")) == .message(.text(bytes("[1]"))))
        #expect(assembler.append(.text, fin: true, payload: bytes("[2]")) == .message(.text(bytes("[2]"))))
    }

    @Test func theLimitAppliesToTheWholeMessage() {
        var assembler = MessageAssembler(maxBytes: 8)
        #expect(assembler.append(.text, fin: true, payload: bytes("12345678")) == .message(.text(bytes("12345678"))))
        #expect(assembler.append(.text, fin: true, payload: bytes("123456789")) == .message(.tooLarge))
        #expect(assembler.append(.text, fin: false, payload: bytes("12345")) == .incomplete)
        #expect(assembler.append(.continuation, fin: false, payload: bytes("6789")) == .message(.tooLarge))
        // The rest of the oversized message is skipped; the next message starts clean.
        #expect(assembler.append(.continuation, fin: true, payload: bytes("0")) == .incomplete)
        #expect(assembler.append(.text, fin: true, payload: bytes("ok")) == .message(.text(bytes("ok"))))
        #expect(assembler.append(.binary, fin: false, payload: bytes("1234")) == .incomplete)
        #expect(assembler.append(.continuation, fin: true, payload: bytes("56789")) == .message(.tooLarge))
    }

    @Test func textThatIsNotUTF8IsReportedAsSuch() {
        var assembler = MessageAssembler(maxBytes: 16)
        #expect(assembler.append(.text, fin: true, payload: Data([0x7B, 0xFF, 0x7D])) == .message(.invalidUTF8))
        // A code point split across fragments is valid once joined; a truncated one is not.
        #expect(assembler.append(.text, fin: false, payload: Data([0x22, 0xC3])) == .incomplete)
        #expect(assembler.append(.continuation, fin: true, payload: Data([0xA9, 0x22])) == .message(.text(Data([0x22, 0xC3, 0xA9, 0x22]))))
        #expect(assembler.append(.text, fin: true, payload: Data([0x22, 0xC3])) == .message(.invalidUTF8))
        // Binary messages are not text and are not checked.
        #expect(assembler.append(.binary, fin: true, payload: Data([0xFF])) == .message(.binary))
    }

    @Test func aContinuationWithNothingToContinueBreaksTheFraming() {
        var assembler = MessageAssembler(maxBytes: 8)
        #expect(assembler.append(.continuation, fin: true, payload: bytes("x")) == .message(.brokenFraming))
        #expect(assembler.append(.continuation, fin: false, payload: bytes("x")) == .message(.brokenFraming))
        // Larger than the limit, it is still broken framing, not a message too large.
        #expect(assembler.append(.continuation, fin: true, payload: bytes("123456789")) == .message(.brokenFraming))
        // After a whole message, there is nothing to continue either.
        #expect(assembler.append(.text, fin: true, payload: bytes("{}")) == .message(.text(bytes("{}"))))
        #expect(assembler.append(.continuation, fin: true, payload: bytes("x")) == .message(.brokenFraming))
    }

    @Test func aNewMessageInsideAFragmentedOneBreaksTheFraming() {
        var assembler = MessageAssembler(maxBytes: 8)
        #expect(assembler.append(.text, fin: false, payload: bytes("{")) == .incomplete)
        #expect(assembler.append(.text, fin: true, payload: bytes("{}")) == .message(.brokenFraming))
        var binary = MessageAssembler(maxBytes: 8)
        #expect(binary.append(.binary, fin: false, payload: bytes("1")) == .incomplete)
        #expect(binary.append(.text, fin: true, payload: bytes("{}")) == .message(.brokenFraming))
        // So does one inside the rest of a message already reported too large.
        var large = MessageAssembler(maxBytes: 4)
        #expect(large.append(.text, fin: false, payload: bytes("12345")) == .message(.tooLarge))
        #expect(large.append(.text, fin: true, payload: bytes("{}")) == .message(.brokenFraming))
    }
}
