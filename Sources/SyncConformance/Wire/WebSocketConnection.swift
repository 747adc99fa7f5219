import Foundation
import Synchronization

/// Something a WebSocket connection received.
enum WebSocketEvent: Sendable {
    /// A text frame; `json` when it parses; `isPing` for a protocol `ping` message.
    case text(String, json: JSON?, isPing: Bool)
    /// A binary frame.
    case binary([UInt8])
    /// The server closed (close frame code, or `nil` when the TCP connection just ended).
    case closed(code: Int?)
}

/// An open WebSocket: frames received are queued (read with a deadline), protocol pings answered
/// when `autoPong` is on, WebSocket control pings always answered, everything logged.
final class WebSocketConnection: Sendable {
    let name: String
    private let tcp: TCPConnection
    private let events = Mailbox<WebSocketEvent>()
    private let recorder: WireRecorder
    /// Whether protocol pings are answered (and hidden from `expect`).
    let autoPong: Bool
    private let closeSent = Mutex(false)

    init(name: String, tcp: TCPConnection, leftover: [UInt8], recorder: WireRecorder, autoPong: Bool) {
        self.name = name
        self.tcp = tcp
        self.recorder = recorder
        self.autoPong = autoPong
        Task { await self.readLoop(leftover) }
    }

    /// The next event, `nil` when nothing arrives before `deadline`.
    func next(before deadline: ContinuousClock.Instant) async -> WebSocketEvent? {
        await events.next(before: deadline)
    }

    /// Sends a text or binary frame, masked unless `masked` is false (a probe); with `fin` false
    /// or `continuation`, a fragment of a message (probes of RFC 6455 §5.4).
    func send(_ payload: [UInt8], text: Bool, masked: Bool = true, fin: Bool = true, continuation: Bool = false) async throws {
        let kind = continuation ? "continuation" : text ? "text" : "binary"
        let notes = (masked ? "" : ", unmasked") + (fin ? "" : ", not final")
        recorder.record(name, .sent, .wsFrame, "\(kind) \(payload.count) bytes\(notes)", body: payload)
        let opcode: WebSocketFrame.Opcode = continuation ? .continuation : text ? .text : .binary
        try await write(WebSocketFrame(fin: fin, opcode: opcode, payload: payload), masked: masked)
    }

    /// Sends a close frame with `code` and closes the connection shortly after.
    func close(code: Int) async {
        recorder.record(name, .sent, .wsClose, "close \(code)")
        await sendClose(code)
        tcp.close()
    }

    /// Stops reading the socket (`paused`), so what the server sends piles up in its buffers as
    /// with a client that stopped reading, or reads it again.
    func setReading(paused: Bool) {
        recorder.note(name, paused ? "reading paused" : "reading resumed")
        tcp.setAutoRead(!paused)
    }

    /// Drops the connection without a close handshake (end of vector).
    func abort() {
        tcp.close()
    }

    private func sendClose(_ code: Int) async {
        let first = closeSent.withLock { sent in
            defer { sent = true }
            return !sent
        }
        guard first else { return }
        try? await write(WebSocketFrame(fin: true, opcode: .close, payload: [UInt8(code >> 8 & 0xFF), UInt8(code & 0xFF)]))
    }

    private func write(_ frame: WebSocketFrame, masked: Bool = true) async throws {
        let mask = masked ? (0..<4).map { _ in UInt8.random(in: 0...255) } : nil
        try await tcp.write(frame.encoded(mask: mask))
    }

    private func readLoop(_ leftover: [UInt8]) async {
        var decoder = WebSocketFrameDecoder()
        decoder.feed(leftover)
        var fragments: [UInt8] = []
        var fragmentText = true
        let farFuture = ContinuousClock.now + .seconds(86_400)
        while true {
            do {
                while let frame = try decoder.next() {
                    switch frame.opcode {
                    case .text, .binary, .continuation:
                        if frame.opcode != .continuation { fragments = []; fragmentText = frame.opcode == .text }
                        fragments += frame.payload
                        if frame.fin { await deliver(fragments, text: fragmentText) }
                    case .ping:
                        recorder.record(name, .received, .wsFrame, "control ping", body: frame.payload)
                        try? await write(WebSocketFrame(fin: true, opcode: .pong, payload: frame.payload))
                    case .pong:
                        recorder.record(name, .received, .wsFrame, "control pong", body: frame.payload)
                    case .close:
                        let code = frame.closeCode
                        recorder.record(name, .received, .wsClose, "close \(code.map(String.init) ?? "(no code)")",
                                        body: frame.payload.count > 2 ? Array(frame.payload.dropFirst(2)) : nil)
                        events.push(.closed(code: code))
                        await sendClose(code ?? 1000)
                        events.finish()
                        tcp.close()
                        return
                    }
                }
            } catch {
                recorder.note(name, "undecodable frame: \(error)")
                events.push(.closed(code: nil))
                events.finish()
                tcp.close()
                return
            }
            guard let bytes = await tcp.read(before: farFuture) else {
                recorder.record(name, .received, .wsClose, "connection ended without a close frame")
                events.push(.closed(code: nil))
                events.finish()
                return
            }
            decoder.feed(bytes)
        }
    }

    private func deliver(_ payload: [UInt8], text: Bool) async {
        guard text else {
            recorder.record(name, .received, .wsFrame, "binary \(payload.count) bytes", body: payload)
            events.push(.binary(payload))
            return
        }
        let string = String(decoding: payload, as: UTF8.self)
        let json = try? JSON.parse(payload)
        let isPing = json?["type"] == .string("ping")
        recorder.record(name, .received, .wsFrame, "text \(payload.count) bytes", body: payload)
        recorder.check(name, frame: payload)
        events.push(.text(string, json: json, isPing: isPing))
        if isPing, autoPong {
            var pong = [JSON.Member("type", .string("pong"))]
            if let nonce = json?["nonce"] { pong.append(JSON.Member("nonce", nonce)) }
            let bytes = Array(JSON.object(pong).compact.utf8)
            recorder.record(name, .sent, .wsFrame, "text \(bytes.count) bytes (auto pong)", body: bytes)
            try? await write(WebSocketFrame(fin: true, opcode: .text, payload: bytes))
        }
    }
}
