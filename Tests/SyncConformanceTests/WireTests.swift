import Foundation
import Testing
@testable import SyncConformance

/// The wire codecs without sockets: HTTP responses, WebSocket frames, mailbox deadlines.
@Suite struct WireTests {
    @Test func parsesContentLengthResponsesFedInPieces() {
        var parser = HTTPResponseParser()
        let text = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}EXTRA"
        let bytes = Array(text.utf8)
        var outcome = parser.feed(Array(bytes[0..<20]))
        guard case .needMore = outcome else { Issue.record("complete too early"); return }
        outcome = parser.feed(Array(bytes[20...]))
        guard case .done(let response, let leftover) = outcome else { Issue.record("not complete"); return }
        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.header("content-type") == "application/json")
        #expect(response.body == Array("{\"a\":1}".utf8))
        #expect(leftover == Array("EXTRA".utf8))
    }

    @Test func parsesChunkedAndCloseDelimitedBodies() {
        var chunked = HTTPResponseParser()
        let body = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
        guard case .done(let response, _) = chunked.feed(Array(body.utf8)) else { Issue.record("chunked"); return }
        #expect(response.body == Array("abcde".utf8))
        var pieces = HTTPResponseParser()
        var last: HTTPResponseParser.Outcome = .needMore
        for byte in Array(body.utf8) { last = pieces.feed([byte]) }
        guard case .done(let assembled, _) = last else { Issue.record("byte by byte"); return }
        #expect(assembled.body == Array("abcde".utf8))
        var untilClose = HTTPResponseParser()
        guard case .needMore = untilClose.feed(Array("HTTP/1.1 200 OK\r\n\r\nall of it".utf8)) else { Issue.record("early"); return }
        guard case .done(let closed, _) = untilClose.finish() else { Issue.record("close"); return }
        #expect(closed.body == Array("all of it".utf8))
        var upgrade = HTTPResponseParser()
        guard case .done(let switching, let rest) = upgrade.feed(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u{81}\u{00}".utf8)) else {
            Issue.record("upgrade"); return
        }
        #expect(switching.status == 101 && switching.body.isEmpty && rest == [0xC2, 0x81, 0x00])
    }

    @Test func rejectsGarbageAndTruncation() {
        var garbage = HTTPResponseParser()
        guard case .invalid = garbage.feed(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) else { Issue.record("accepted garbage"); return }
        var truncated = HTTPResponseParser()
        _ = truncated.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        guard case .invalid = truncated.finish() else { Issue.record("accepted a truncated body"); return }
    }

    @Test func framesRoundTripThroughTheDecoder() throws {
        for size in [0, 5, 125, 126, 65_535, 65_536, 70_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
            let frame = WebSocketFrame(fin: true, opcode: .text, payload: payload)
            let bytes = frame.encoded(mask: [1, 2, 3, 4])
            #expect(bytes[1] & 0x80 != 0)
            var decoder = WebSocketFrameDecoder()
            decoder.feed(Array(bytes.prefix(bytes.count / 2)))
            if size > 0 { #expect(try decoder.next() == nil) }
            decoder.feed(Array(bytes.dropFirst(bytes.count / 2)))
            #expect(try decoder.next() == frame)
        }
    }

    @Test func decodesUnmaskedServerFramesAndCloseCodes() throws {
        var decoder = WebSocketFrameDecoder()
        decoder.feed([0x88, 0x02, 0x11, 0x31, 0x89, 0x00])
        let close = try #require(try decoder.next())
        #expect(close.opcode == .close && close.closeCode == 4401)
        #expect(try decoder.next()?.opcode == .ping)
        decoder.feed([0x83, 0x00])
        #expect(throws: WireError.self) { try decoder.next() }
    }

    @Test func mailboxesWaitUntilTheirDeadline() async {
        let mailbox = Mailbox<Int>()
        let start = ContinuousClock.now
        #expect(await mailbox.next(before: .now + .milliseconds(50)) == nil)
        #expect(start.duration(to: .now) >= .milliseconds(50))
        mailbox.push(1)
        #expect(await mailbox.next(before: .now + .seconds(5)) == 1)
        Task {
            try? await Task.sleep(for: .milliseconds(20))
            mailbox.push(2)
        }
        #expect(await mailbox.next(before: .now + .seconds(5)) == 2)
        mailbox.push(3)
        mailbox.finish()
        #expect(await mailbox.next(before: .now + .seconds(5)) == 3)
        #expect(await mailbox.next(before: .now + .seconds(5)) == nil)
        #expect(mailbox.isDrained)
    }

    @Test func cancellingAReadEndsIt() async {
        let mailbox = Mailbox<Int>()
        let start = ContinuousClock.now
        let reader = Task { await mailbox.next(before: .now + .seconds(120)) }
        try? await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        #expect(await reader.value == nil)
        // Far below the read's deadline, with room for a machine busy with other suites.
        #expect(start.duration(to: .now) < .seconds(60))
    }
}
