import Foundation
import Synchronization

/// Collects one vector's wire log: every request, response and frame with its time offset.
final class WireRecorder: Sendable {
    /// Bodies and frames are cut to this many bytes in the log.
    static let bodyLimit = 4096

    private let start: ContinuousClock.Instant
    private let entries = Mutex<[WireEntry]>([])

    init(start: ContinuousClock.Instant = .now) {
        self.start = start
    }

    /// Milliseconds since the vector started.
    var elapsedMs: Int {
        let duration = start.duration(to: .now)
        return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    func record(_ connection: String, _ direction: WireEntry.Direction, _ kind: WireEntry.Kind, _ summary: String,
                headers: [(String, String)]? = nil, body: [UInt8]? = nil) {
        let entry = WireEntry(atMs: elapsedMs, connection: connection, direction: direction, kind: kind, summary: summary,
                              headers: headers?.map { [$0.0.lowercased(), $0.1] }, body: body.flatMap { $0.isEmpty ? nil : Self.render($0) })
        entries.withLock { $0.append(entry) }
    }

    func note(_ connection: String, _ text: String) {
        record(connection, .local, .note, text)
    }

    var log: [WireEntry] { entries.withLock { $0 } }

    /// Text as text, anything else as base64, cut at the limit.
    static func render(_ bytes: [UInt8]) -> String {
        let cut = Array(bytes.prefix(bodyLimit))
        let suffix = bytes.count > bodyLimit ? "... (\(bytes.count) bytes)" : ""
        if let text = String(validating: cut, as: UTF8.self) ?? String(validating: cut.dropLast(3), as: UTF8.self) {
            return text + suffix
        }
        return "base64:" + Data(cut).base64EncodedString() + suffix
    }
}
