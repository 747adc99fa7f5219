import Foundation

extension SpecDiff {
    /// The report for terminals: a header, the changes grouped as BREAKING, COMPATIBLE and
    /// COSMETIC with counts, and the verdict on the version number.
    public var renderedText: String {
        var lines = ["Spec diff \(oldVersion) -> \(newVersion): " + countsSummary, ""]
        for severity in SpecChange.Severity.allCases {
            let group = changes(severity)
            lines.append("\(severity.rawValue.uppercased()) (\(group.count))")
            for change in group {
                let place = change.location.map { " [\($0)]" } ?? ""
                lines.append("  \(change.path): \(change.message)\(place)")
                if let accepted = change.accepted {
                    lines.append("    accepted in \(accepted.version): \(Self.oneLine(accepted.reason))")
                }
            }
            lines.append("")
        }
        lines.append(verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report for tools: a JSON object with both versions, the counts, whether a major
    /// version is required, and every change with its severity, path, message and (unless the
    /// element is gone) its location in the new spec. Keys are `snake_case`.
    public var renderedJSON: String {
        let document = JSONReport(
            oldVersion: oldVersion.description,
            newVersion: newVersion.description,
            breaking: changes(.breaking).count,
            compatible: changes(.compatible).count,
            cosmetic: changes(.cosmetic).count,
            acceptedBreaking: changes(.breaking).count - unacceptedBreaking.count,
            requiresMajorBump: requiresMajorBump,
            changes: changes.map { change in
                JSONReport.Change(
                    severity: change.severity.rawValue, path: change.path, message: change.message,
                    location: change.location.map { JSONReport.Location(file: $0.file, line: $0.line, column: $0.column) },
                    accepted: change.accepted.map { JSONReport.Accepted(version: $0.version.description, reason: $0.reason) }
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Markdown text folded to one line for the terminal.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// `2 breaking, 1 compatible, 0 cosmetic`.
    var countsSummary: String {
        SpecChange.Severity.allCases.map { "\(changes($0).count) \($0.rawValue)" }.joined(separator: ", ")
    }
}

/// The shape of `renderedJSON`.
private struct JSONReport: Encodable {
    struct Location: Encodable {
        var file: String
        var line: Int
        var column: Int
    }

    struct Accepted: Encodable {
        var version: String
        var reason: String
    }

    struct Change: Encodable {
        var severity: String
        var path: String
        var message: String
        var location: Location?
        var accepted: Accepted?
    }

    var oldVersion: String
    var newVersion: String
    var breaking: Int
    var compatible: Int
    var cosmetic: Int
    var acceptedBreaking: Int
    var requiresMajorBump: Bool
    var changes: [Change]
}
