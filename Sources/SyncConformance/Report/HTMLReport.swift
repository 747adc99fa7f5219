/// A static HTML page of the run: summary and one table row per vector.
public enum HTMLReport {
    /// The report as a self-contained HTML page.
    public static func render(_ report: RunReport) -> String {
        var html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sync-conformance: \(JUnitReport.escape(report.target))</title></head><body>\n"
        html += "<h1>sync-conformance against \(JUnitReport.escape(report.target))</h1>\n"
        html += "<p>\(report.summary.requiredPassed) of \(report.summary.required) required vectors passed; exit code \(report.summary.exitCode).</p>\n"
        html += "<table border=\"1\"><tr><th>Vector</th><th>Level</th><th>Requirements</th><th>Status</th><th>ms</th><th>Detail</th></tr>\n"
        for vector in report.vectors {
            let detail = vector.failure.map { "\($0.step): \($0.message)" } ?? vector.reason ?? ""
            html += "<tr><td>\(JUnitReport.escape(vector.id))</td><td>\(vector.level)</td><td>\(JUnitReport.escape(vector.requirements.joined(separator: ", ")))</td>"
            html += "<td>\(vector.status.rawValue)</td><td>\(vector.durationMs)</td><td>\(JUnitReport.escape(detail))</td></tr>\n"
        }
        return html + "</table>\n</body></html>\n"
    }
}
