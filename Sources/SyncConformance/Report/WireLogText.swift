/// A wire log as plain text lines, for JUnit's `system-out` and terminal output:
/// `+  12ms a     > POST /v1/sync/push` followed by indented headers and body.
public enum WireLogText {
    /// One line per entry, then its headers and body lines indented beneath it.
    public static func lines(_ entries: [WireEntry]) -> [String] {
        var lines: [String] = []
        for entry in entries {
            let arrow = switch entry.direction {
            case .sent: ">"
            case .received: "<"
            case .local: "*"
            }
            let time = String(entry.atMs)
            let paddedTime = String(repeating: " ", count: max(0, 6 - time.count)) + time
            lines.append("+\(paddedTime)ms \(entry.connection) \(arrow) \(entry.summary)")
            for header in entry.headers ?? [] where header.count == 2 {
                lines.append("          \(header[0]): \(header[1])")
            }
            if let body = entry.body, !body.isEmpty {
                lines += body.split(separator: "\n", omittingEmptySubsequences: false).map { "          | " + $0 }
            }
        }
        return lines
    }
}
