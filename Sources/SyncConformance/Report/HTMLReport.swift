import Foundation

/// The run as one static HTML page with no external assets: the verdict and counts, coverage
/// by requirement and by category, then one section per vector with its failure diff and wire
/// log. Failing vectors come first and are open; the rest are folded. Every value from the
/// implementation or the vectors is escaped.
public enum HTMLReport {
    /// The HTML document for `report`.
    public static func render(_ report: RunReport) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<title>MobileSync conformance: \(e(report.target))</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        html += header(report)
        html += coverageTable(report)
        html += categoryTable(report)
        html += vectorSections(report)
        html += "</body>\n</html>\n"
        return html
    }

    static func e(_ text: String) -> String { MarkupText.escaped(text) }

    /// Anchor id of a vector's section.
    static func anchor(_ id: String) -> String { "v-" + id }

    static func badge(_ status: VectorStatus) -> String {
        "<span class=\"badge \(status.rawValue)\">\(status.rawValue.replacingOccurrences(of: "_", with: " "))</span>"
    }

    private static func header(_ report: RunReport) -> String {
        let summary = report.summary
        let verdict = switch (summary.exitCode == 0, summary.ran == summary.selected) {
        case (true, true): "<span class=\"badge passed\">PASS</span>"
        case (true, false): "<span class=\"badge skipped\">PARTIAL PASS</span>"
        case (false, _): "<span class=\"badge failed\">FAIL</span>"
        }
        var html = "<h1>MobileSync conformance \(verdict)</h1>\n<table class=\"facts\">\n"
        let facts: [(String, String)] = [
            ("Verdict", summary.verdict),
            ("Target", report.target),
            ("Profile", report.profile ?? "none"),
            ("Spec version", report.specVersion),
            ("Tool", "\(report.tool) \(report.toolVersion)"),
            ("Features", report.features.isEmpty ? "none" : report.features.joined(separator: ", ")),
            ("Started", report.startedAt.formatted(.iso8601)),
            ("Duration", MarkupText.seconds(report.durationMs) + " s"),
            ("Required vectors passed", "\(summary.requiredPassed) of \(summary.required)"),
            ("Selected vectors that ran", "\(summary.ran) of \(summary.selected)"),
            ("Not tested", summary.notTested.isEmpty ? "nothing" : summary.notTested.joined(separator: ", ")),
            ("MUST \(summary.side) requirements covered", "\(summary.mustCovered) of \(summary.mustRequirements) by vectors, \(summary.mustExercised) exercised in this run"),
        ]
        for (name, value) in facts { html += "<tr><th>\(e(name))</th><td>\(e(value))</td></tr>\n" }
        html += "</table>\n<p class=\"counts\">"
        html += VectorStatus.allCases.map { "\(badge($0)) \(summary.byStatus[$0.rawValue] ?? 0)" }.joined(separator: " ")
        html += "</p>\n"
        return html
    }

    private static func coverageTable(_ report: RunReport) -> String {
        var html = "<h2>Requirements</h2>\n<table class=\"grid\">\n<tr><th>Requirement</th><th>Level</th><th>Applies to</th><th>Title</th><th>Vectors</th><th>Passed</th><th>Failed</th><th>Not run</th><th>Verdict</th></tr>\n"
        for requirement in report.requirements {
            let verdict: (String, String) = switch (requirement.vectors.isEmpty, requirement.failed > 0, requirement.passed > 0) {
            case (true, _, _) where !requirement.appliesTo.contains(report.summary.side): ("skipped", "\(report.summary.side == "server" ? "client" : "server") rule")
            case (true, _, _): ("uncovered", "no vector")
            case (false, true, _): ("failed", "failing")
            case (false, false, true): ("passed", "passing")
            case (false, false, false): ("skipped", "not run")
            }
            let links = requirement.vectors.map { "<a href=\"#\(e(anchor($0)))\">\(e($0))</a>" }.joined(separator: " ")
            html += "<tr class=\"\(verdict.0)\"><td>\(e(requirement.id))</td><td>\(e(requirement.level))</td>"
            html += "<td>\(e(requirement.appliesTo.joined(separator: ", ")))</td><td>\(e(requirement.title))</td>"
            html += "<td class=\"links\">\(links)</td><td>\(requirement.passed)</td><td>\(requirement.failed)</td><td>\(requirement.notRun)</td><td>\(verdict.1)</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func categoryTable(_ report: RunReport) -> String {
        let categories = Dictionary(grouping: report.vectors, by: \.category).sorted { $0.key < $1.key }
        var html = "<h2>Categories</h2>\n<table class=\"grid\">\n<tr><th>Category</th><th>Vectors</th>"
        html += VectorStatus.allCases.map { "<th>\(badge($0))</th>" }.joined() + "</tr>\n"
        for (category, vectors) in categories {
            html += "<tr><td>\(e(category))</td><td>\(vectors.count)</td>"
            html += VectorStatus.allCases.map { status in "<td>\(vectors.filter { $0.status == status }.count)</td>" }.joined()
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private static let style = """
    body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #1d1d1f; }
    h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
    table { border-collapse: collapse; } th, td { padding: 3px 8px; text-align: left; vertical-align: top; }
    table.grid th, table.grid td { border: 1px solid #ddd; } table.facts th { color: #555; font-weight: normal; }
    tr.uncovered td, tr.failed td { background: #fdecea; } tr.skipped td { background: #f4f4f4; }
    td.links a { margin-right: .5em; white-space: nowrap; }
    .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .85em; color: #fff; background: #888; }
    .badge.passed { background: #2e7d32; } .badge.failed, .badge.unexpected_pass { background: #c62828; }
    .badge.error { background: #6a1b9a; } .badge.known_failing { background: #ef6c00; } .badge.skipped { background: #9e9e9e; }
    details { border: 1px solid #ddd; border-radius: 4px; margin: .4em 0; padding: .3em .6em; }
    summary { cursor: pointer; } .meta { color: #555; }
    pre { background: #f7f7f7; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .2em 0; }
    .diff .del { color: #c62828; } .diff .add { color: #2e7d32; }
    table.wire td { border-top: 1px solid #eee; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
    table.wire tr.sent td.dir { color: #1565c0; } table.wire tr.received td.dir { color: #2e7d32; }

    """
}
