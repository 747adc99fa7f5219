import Foundation
import Logging
@testable import SyncServer
import SyncTestSupport
import Testing

/// The frame-header guard on a live server: a frame announcing more than the WebSocket decoder
/// takes is answered from its header, and the client still sending the rest reads the answer.
@Suite("frame-header guard")
struct FrameHeaderGuardTests {
    @Test("a client still sending a frame far over the limit is not reset: every byte is taken, then it reads frame_too_large, close 1009 and the end")
    func tooLargeFrameWhileSending() async throws {
        try await withRawFrameServer { port in
            let outcome = try await WebSocketFrameFuzzTests.onThread { () throws -> (sentAll: Bool, answer: [UInt8]) in
                let socket = try rawWebSocket(port: port)
                // 4 MiB announced (the decoder takes 128 KiB); the payload follows slowly, as over a real network.
                var sentAll = socket.send([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0x40, 0, 0, 1, 2, 3, 4])
                for _ in 0..<32 where sentAll {
                    sentAll = socket.send([UInt8](repeating: 0x41, count: 32 * 1024))
                    usleep(5_000)
                }
                return (sentAll, socket.receive(until: nil, timeoutMs: 10_000))
            }
            #expect(outcome.sentAll, "the server reset the connection while the client was still sending")
            let text = String(decoding: outcome.answer, as: UTF8.self)
            #expect(text.contains(#""code":"frame_too_large""#))
            #expect(outcome.answer.suffix(4) == [0x88, 0x02, 0x03, 0xF1], "the answer ends with close 1009, then the connection ends")
        }
    }

    @Test("a client that goes on sending after the answer is cut off after the linger, so it costs the server a bounded time")
    func lingerIsBounded() async throws {
        try await withRawFrameServer { port in
            let held = try await WebSocketFrameFuzzTests.onThread { () throws -> Duration in
                let socket = try rawWebSocket(port: port)
                let started = ContinuousClock.now
                var open = socket.send([0x81, 0x80 | 127, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4])
                while open, ContinuousClock.now - started < .seconds(30) {
                    open = socket.send([UInt8](repeating: 0x41, count: 16 * 1024))
                    usleep(2_000)
                }
                return ContinuousClock.now - started
            }
            #expect(held >= .seconds(4) && held < .seconds(15), "the connection was cut after \(held)")
        }
    }
}
