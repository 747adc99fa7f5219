@testable import SyncServer
import Testing

/// The session's bounded outbound queue (WS-14), without sockets: order, bounds at the limit,
/// one past it and far beyond, and what a close does to what waits.
@Suite struct OutboundQueueTests {
    func drain(_ queue: inout OutboundQueue) -> [OutboundQueue.Frame] {
        var frames: [OutboundQueue.Frame] = []
        while let frame = queue.next() { frames.append(frame) }
        return frames
    }

    @Test func pingsAndPongsGoAheadOfWaitingData() {
        var queue = OutboundQueue(maxBytes: 1000, maxMessages: 10)
        #expect(queue.enqueue("c1", type: "change", urgent: false) == .queued)
        #expect(queue.enqueue("c2", type: "change", urgent: false) == .queued)
        #expect(queue.enqueue("p", type: "ping", urgent: true) == .queued)
        #expect(queue.enqueue("c3", type: "change", urgent: false) == .queued)
        #expect(queue.enqueue("q", type: "pong", urgent: true) == .queued)
        #expect(drain(&queue) == [.text("p", type: "ping"), .text("q", type: "pong"), .text("c1", type: "change"),
                                  .text("c2", type: "change"), .text("c3", type: "change")])
        #expect(queue.bytes == 0 && queue.count == 0)
    }

    @Test func theByteBoundHoldsAtTheLimitAndRefusesOneByteMore() {
        var queue = OutboundQueue(maxBytes: 10, maxMessages: 100)
        #expect(queue.enqueue("12345", type: "change", urgent: false) == .queued)
        #expect(queue.enqueue("12345", type: "change", urgent: false) == .queued)
        #expect(queue.bytes == 10)
        #expect(queue.enqueue("1", type: "change", urgent: false) == .overflow)
        #expect(queue.enqueue("1", type: "pong", urgent: true) == .overflow)
        #expect(queue.bytes == 10 && queue.count == 2)
        _ = queue.next()
        #expect(queue.enqueue("12345", type: "change", urgent: false) == .queued)
    }

    @Test func oneMessageFarBeyondTheBoundIsRefusedWithoutOverflowingTheCount() {
        var queue = OutboundQueue(maxBytes: 1024, maxMessages: 4)
        #expect(queue.enqueue(String(repeating: "x", count: 1_000_000), type: "changes", urgent: false) == .overflow)
        #expect(queue.bytes == 0 && queue.count == 0)
        #expect(queue.enqueue(String(repeating: "x", count: 1024), type: "changes", urgent: false) == .queued)
    }

    @Test func theMessageBoundHoldsAtTheLimitAndRefusesOneMore() {
        var queue = OutboundQueue(maxBytes: 1_000_000, maxMessages: 3)
        for _ in 0..<3 { #expect(queue.enqueue("c", type: "change", urgent: false) == .queued) }
        #expect(queue.enqueue("c", type: "change", urgent: false) == .overflow)
        #expect(queue.enqueue("p", type: "ping", urgent: true) == .overflow)
        #expect(queue.count == 3)
    }

    @Test func aCloseDiscardsWhatWaitsAndGoesFirst() {
        var queue = OutboundQueue(maxBytes: 100, maxMessages: 10)
        _ = queue.enqueue("c1", type: "change", urgent: false)
        _ = queue.enqueue("p", type: "ping", urgent: true)
        queue.close(error: (text: "e", type: "error"), code: 4408, afterWaiting: false)
        #expect(queue.isClosing)
        #expect(queue.enqueue("c2", type: "change", urgent: false) == .dropped)
        #expect(drain(&queue) == [.text("p", type: "ping"), .text("e", type: "error"), .close(code: 4408)])
        #expect(queue.bytes == 0)
    }

    @Test func aShutdownCloseSendsWhatWaitsFirst() {
        var queue = OutboundQueue(maxBytes: 100, maxMessages: 10)
        _ = queue.enqueue("r1", type: "push_result", urgent: false)
        queue.close(error: (text: "u", type: "error"), code: 1001, afterWaiting: true)
        queue.close(error: nil, code: 1000, afterWaiting: false)
        #expect(drain(&queue) == [.text("r1", type: "push_result"), .text("u", type: "error"), .close(code: 1001)])
    }

    @Test func theClosingErrorIsQueuedEvenWhenTheQueueIsFull() {
        var queue = OutboundQueue(maxBytes: 4, maxMessages: 1)
        _ = queue.enqueue("full", type: "change", urgent: false)
        #expect(queue.enqueue("x", type: "change", urgent: false) == .overflow)
        queue.discardData()
        queue.close(error: (text: "slow", type: "error"), code: 4008, afterWaiting: false)
        #expect(drain(&queue) == [.text("slow", type: "error"), .close(code: 4008)])
    }

    @Test func boundsBelowOneAreRaisedToOne() {
        var queue = OutboundQueue(maxBytes: -5, maxMessages: 0)
        #expect(queue.maxBytes == 1 && queue.maxMessages == 1)
        #expect(queue.enqueue("x", type: "ping", urgent: true) == .queued)
        #expect(queue.enqueue("y", type: "ping", urgent: true) == .overflow)
    }

    @Test func aBurstComesOutInOrderUrgentFirstUpToTheLimitAndFreesItsBytes() {
        var queue = OutboundQueue(maxBytes: 100, maxMessages: 10)
        for text in ["a", "bb", "ccc"] { #expect(queue.enqueue(text, type: "change", urgent: false) == .queued) }
        #expect(queue.enqueue("p", type: "ping", urgent: true) == .queued)
        #expect(queue.next(upTo: 3) == [.text("p", type: "ping"), .text("a", type: "change"), .text("bb", type: "change")])
        #expect(queue.bytes == 3 && queue.count == 1)
        #expect(queue.next(upTo: 3) == [.text("ccc", type: "change")])
        #expect(queue.next(upTo: 3).isEmpty && queue.bytes == 0)
    }
}
