import Foundation

/// The live progress lines: one per vector, plus the failure, its diff and the wire-log tail.
public enum ProgressFormatter {
    /// How many wire-log entries a failure shows.
    public static let wireTail = 12

    /// `PASS  push.create-applied  (123 ms)`.
    public static func line(_ report: VectorReport) -> String {
        let label = switch report.status {
        case .passed: "PASS"
        case .failed: "FAIL"
        case .skipped: "SKIP"
        case .knownFailing: "KNOWN"
        case .unexpectedPass: "UNEXPECTED-PASS"
        case .error: "ERROR"
        }
        let attempts = report.attempts > 1 ? ", \(report.attempts) attempts" : ""
        let reason = report.status == .skipped || report.status == .unexpectedPass ? report.reason.map { " - \($0)" } ?? "" : ""
        return "\(label.padding(toLength: 6, withPad: " ", startingAt: 0)) \(report.id) (\(report.durationMs) ms\(attempts))\(reason)"
    }

    /// For failed, error and known-failing vectors: the step, the message, the diff and the last frames.
    public static func details(_ report: VectorReport) -> String {
        guard let failure = report.failure, [.failed, .error].contains(report.status) else { return "" }
        var lines = ["    step \(failure.stepIndex < 0 ? "setup" : String(failure.stepIndex + 1)): \(failure.step)",
                     "    \(failure.message)"]
        if !failure.diff.isEmpty {
            lines.append("    diff (- expected, + actual):")
            lines += failure.diff.prefix(60).map { "      \($0)" }
        }
        lines.append("    wire log (last \(min(wireTail, report.wireLog.count)) of \(report.wireLog.count)):")
        for entry in report.wireLog.suffix(wireTail) {
            let arrow = switch entry.direction {
            case .sent: ">>"
            case .received: "<<"
            case .local: "--"
            }
            let body = entry.body.map { " " + String($0.prefix(300)).replacingOccurrences(of: "\n", with: " ") } ?? ""
            lines.append("      \(String(entry.atMs).leftPad(6)) ms \(entry.connection) \(arrow) \(entry.summary)\(body)")
        }
        return "\n" + lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
