import Foundation
import Synchronization

/// Collects one vector's wire log: every request, response and frame with its time offset.
final class WireRecorder: Sendable {
    /// Bodies and frames are cut to this many bytes in the log.
    static let bodyLimit = 4096

    private let start: ContinuousClock.Instant
    private let entries = Mutex<[WireEntry]>([])
    /// What every answer of the server under test is checked against (`nil`: nothing).
    private let invariants: WireInvariants?
    private let broken = Mutex<[String]>([])

    init(start: ContinuousClock.Instant = .now, invariants: WireInvariants? = nil) {
        self.start = start
        self.invariants = invariants
    }

    /// The invariants the server's answers broke so far, each with the connection and time.
    var violations: [String] { broken.withLock { $0 } }

    /// Checks an HTTP response of the server under test against the invariants.
    func check(_ connection: String, status: Int, headers: [(String, String)], body: [UInt8]) {
        guard let found = invariants?.violations(status: status, headers: headers, body: body), !found.isEmpty else { return }
        note(connection, found)
    }

    /// Checks a text frame of the server under test against the invariants.
    func check(_ connection: String, frame: [UInt8]) {
        guard let found = invariants?.violations(frame: frame), !found.isEmpty else { return }
        note(connection, found)
    }

    private func note(_ connection: String, _ found: [String]) {
        let at = elapsedMs
        broken.withLock { $0 += found.map { "\($0) (\(connection), \(at) ms)" } }
        for violation in found { note(connection, "invariant broken: \(violation)") }
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
