import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import SyncProtocol
@testable import SyncServer
import SyncTestSupport
import Testing

/// A WebSocket frame fuzzer kept as a test: hundreds of connections from a fixed seed, each
/// upgraded and then sent random frames (reserved opcodes and bits, unmasked frames, fragmented
/// or oversized control frames, continuations out of place, lying and absurd lengths, invalid
/// UTF-8, JSON junk, valid messages in between). The server must stay up and keep answering:
/// `/health` between connections and a proper session at the end, all within a time bound.
@Suite struct WebSocketFrameFuzzTests {
    typealias Generator = SeededGenerator

    /// One frame's bytes as a client would send them (masked unless `masked` is false), with the
    /// header's length possibly lying about the payload that follows.
    static func frame(_ random: inout Generator) -> [UInt8] {
        let opcodes: [UInt8] = [0x0, 0x1, 0x1, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xA, 0xB, 0xF]
        let opcode = opcodes.randomElement(using: &random)!
        let fin = Int.random(in: 0..<5, using: &random) != 0
        let rsv = Int.random(in: 0..<10, using: &random) == 0 ? UInt8.random(in: 1...7, using: &random) << 4 : 0
        let masked = Int.random(in: 0..<8, using: &random) != 0
        let payloads: [[UInt8]] = [
            Array(#"{"type":"ping","nonce":"n"}"#.utf8),
            Array(#"{"type":"hello","protocol_version":"1.0.0","client":{"platform":"ios","app_version":"1","os_version":"1","network_type":"wifi"}}"#.utf8),
            Array(#"{"type":"push","request_id":"r","idempotency_key":"k","mutations":[{}]}"#.utf8),
            Array(#"{"type":"pull","request_id":"p","limit":1e308,"cursor":null}"#.utf8),
            Array(String(repeating: "[", count: 5000).utf8),
            [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80],
            [0x03, 0xE8], [0x00, 0x01], [0x0F, 0xA0, 0xFF],
            (0..<Int.random(in: 0..<300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) },
            [],
        ]
        let payload = payloads.randomElement(using: &random)!
        var declared = UInt64(payload.count)
        switch Int.random(in: 0..<12, using: &random) {
        case 0: declared += UInt64.random(in: 1...1000, using: &random)
        case 1: declared = UInt64.random(in: 1 << 20...1 << 40, using: &random)
        case 2: declared = 1 << 63 | UInt64.random(in: 0...1000, using: &random)
        default: break
        }
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if declared < 126 {
            bytes.append(maskBit | UInt8(declared))
        } else if declared <= 0xFFFF {
            bytes += [maskBit | 126, UInt8(declared >> 8), UInt8(declared & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: declared >> (UInt64($0) * 8)) }
        }
        guard masked else { return bytes + payload }
        let key = (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        return bytes + key + payload.enumerated().map { $0.element ^ key[$0.offset & 3] }
    }

    @Test func hundredsOfHostileConnectionsLeaveTheServerAnswering() async throws {
        try await withRawFrameServer { port in
            let started = ContinuousClock.now
            let report = try await Self.onThread { try Self.fuzz(port: port, connections: 400) }
            let elapsed = ContinuousClock.now - started
            print("WebSocket frame fuzzer: \(report.connections) connections, \(report.frames) frames in \(elapsed); server closes seen: \(report.closes)")
            #expect(report.healthChecks >= 16)
            #expect(elapsed < .seconds(120), "the fuzz run took \(elapsed)")
            _ = try await withTestSocket(port: port) { socket in
                _ = try await socket.handshake()
                try await socket.send(.ping(PingMessage(nonce: "after-fuzz")))
                #expect(try await socket.receive() == .pong(PongMessage(nonce: "after-fuzz")))
            }
        }
    }

    struct Report: Sendable {
        var connections = 0
        var frames = 0
        var closes = 0
        var healthChecks = 0
    }

    /// Blocking socket work on a Dispatch thread, away from the concurrency pool the server uses.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func fuzz(port: Int, connections: Int) throws -> Report {
        var random = Generator(state: 6_122_026)
        var report = Report()
        for index in 0..<connections {
            let socket = try rawWebSocket(port: port)
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes += frame(&random)
                report.frames += 1
            }
            // Whole, or in small pieces, so that frame headers straddle reads.
            if Bool.random(using: &random) {
                _ = socket.send(bytes)
            } else {
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + Int.random(in: 1...7, using: &random))
                    guard socket.send(Array(bytes[offset..<end])) else { break }
                    offset = end
                }
            }
            let answer = socket.receive(until: nil)
            if answer.contains(0x88) { report.closes += 1 }
            report.connections += 1
            if index % 25 == 24 {
                let health = try RawSocket(port: port)
                _ = health.send(Array("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
                let response = String(decoding: health.receive(until: nil, timeoutMs: 5000), as: UTF8.self)
                try #require(response.hasPrefix("HTTP/1.1 200"), "/health did not answer after \(index + 1) connections: \(response.prefix(200))")
                report.healthChecks += 1
            }
        }
        return report
    }
}
