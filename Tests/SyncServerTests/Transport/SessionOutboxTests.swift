@testable import SyncServer
import Testing

/// The outbox a session, the change feed and the writer share: changes only after `welcome`
/// (WS-5) and then every one (RT-1), one overflow report, and a writer that waits, wakes and stops.
@Suite struct SessionOutboxTests {
    @Test("changes are dropped before welcome, queued after it, and dropped again once closing")
    func changesOnlyWhileEstablished() async {
        let outbox = SessionOutbox(maxBytes: 1000, maxMessages: 10)
        #expect(outbox.enqueueChange("c0", type: "change") == .dropped)
        #expect(outbox.enqueue("p", type: "pong", urgent: true) == .queued)
        #expect(outbox.establish("w", type: "welcome") == .queued)
        #expect(outbox.enqueueChange("c1", type: "change") == .queued)
        #expect(await outbox.next(upTo: 10) == [.text("p", type: "pong"), .text("w", type: "welcome"), .text("c1", type: "change")])
        outbox.close(error: (text: "e", type: "error"), code: 4008, afterWaiting: false)
        #expect(outbox.isClosing)
        #expect(outbox.enqueueChange("c2", type: "change") == .dropped)
        #expect(await outbox.next(upTo: 10) == [.text("e", type: "error"), .close(code: 4008)])
    }

    @Test("an overflow is reported once; what follows is dropped")
    func overflowReportedOnce() async {
        let outbox = SessionOutbox(maxBytes: 4, maxMessages: 10)
        #expect(outbox.establish("w", type: "welcome") == .queued)
        #expect(outbox.enqueueChange("123", type: "change") == .queued)
        #expect(outbox.enqueueChange("12", type: "change") == .overflow)
        #expect(outbox.enqueueChange("1", type: "change") == .dropped)
        #expect(outbox.enqueue("p", type: "ping", urgent: true) == .dropped)
        #expect(outbox.waiting.bytes == 4 && outbox.waiting.frames == 2)
    }

    @Test("a waiting writer is woken by a frame, and stops when the session finishes or it is cancelled", .timeLimit(.minutes(1)))
    func writerWaitsAndStops() async {
        let outbox = SessionOutbox(maxBytes: 1000, maxMessages: 10)
        async let first = outbox.next(upTo: 10)
        await Self.untilWaiting(outbox)
        #expect(outbox.enqueue("a", type: "pong", urgent: true) == .queued)
        #expect(await first == [.text("a", type: "pong")])

        let waiting = Task { await outbox.next(upTo: 10) }
        await Self.untilWaiting(outbox)
        waiting.cancel()
        #expect(await waiting.value == [])
        // Cancelling the writer ended the session's outbox: nothing more is waited for.
        #expect(await outbox.next(upTo: 10) == [])

        let other = SessionOutbox(maxBytes: 1000, maxMessages: 10)
        async let ended = other.next(upTo: 10)
        await Self.untilWaiting(other)
        other.finish()
        #expect(await ended == [])
    }

    /// Returns once a writer waits on `outbox` (so that what follows wakes it, not finds a frame).
    private static func untilWaiting(_ outbox: SessionOutbox) async {
        while !outbox.writerIsWaiting { await Task.yield() }
    }
}
