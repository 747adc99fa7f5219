extension HTMLReport {
    /// One folded section per vector: failing ones first (and open), then the rest by id.
    static func vectorSections(_ report: RunReport) -> String {
        let order: [VectorStatus: Int] = [.failed: 0, .unexpectedPass: 0, .error: 1, .knownFailing: 2, .passed: 3, .skipped: 4]
        let vectors = report.vectors.sorted { (order[$0.status] ?? 9, $0.id) < (order[$1.status] ?? 9, $1.id) }
        var html = "<h2>Vectors</h2>\n"
        for vector in vectors { html += section(vector) }
        return html
    }

    private static func section(_ vector: VectorReport) -> String {
        let open = [.failed, .unexpectedPass, .error].contains(vector.status) ? " open" : ""
        var html = "<details id=\"\(e(anchor(vector.id)))\"\(open)>\n<summary>\(badge(vector.status)) <b>\(e(vector.id))</b> \(e(vector.title))</summary>\n"
        var meta = ["\(vector.level)\(vector.required ? ", required" : "")", "category \(vector.category)",
                    "requirements \(vector.requirements.joined(separator: ", "))", "\(MarkupText.seconds(vector.durationMs)) s"]
        if !vector.features.isEmpty { meta.append("features \(vector.features.joined(separator: ", "))") }
        if vector.attempts > 1 { meta.append("\(vector.attempts) attempts") }
        html += "<p class=\"meta\">\(e(meta.joined(separator: " · ")))</p>\n"
        if let reason = vector.reason { html += "<p>\(e(reason))</p>\n" }
        if vector.status == .unexpectedPass {
            html += "<p>Passed, but the profile lists it as known failing: remove it from <code>known_failing</code>.</p>\n"
        }
        if let failure = vector.failure { html += failureBlock(failure) }
        if !vector.wireLog.isEmpty { html += wireTable(vector.wireLog) }
        return html + "</details>\n"
    }

    private static func failureBlock(_ failure: FailureDetail) -> String {
        var html = "<p><b>Step \(failure.stepIndex)</b> <code>\(e(failure.step))</code>: \(e(failure.message))</p>\n"
        if !failure.diff.isEmpty {
            html += "<pre class=\"diff\">"
            html += failure.diff.map { line in
                let kind = line.hasPrefix("-") ? "del" : line.hasPrefix("+") ? "add" : "same"
                return "<span class=\"\(kind)\">\(e(line))</span>"
            }.joined(separator: "\n")
            html += "</pre>\n"
        } else if failure.expected != nil || failure.actual != nil {
            if let expected = failure.expected { html += "<p>Expected</p><pre>\(e(expected))</pre>\n" }
            if let actual = failure.actual { html += "<p>Actual</p><pre>\(e(actual))</pre>\n" }
        }
        return html
    }

    private static func wireTable(_ entries: [WireEntry]) -> String {
        var html = "<table class=\"wire\">\n"
        for entry in entries {
            let arrow = switch entry.direction {
            case .sent: "&rarr;"
            case .received: "&larr;"
            case .local: "&middot;"
            }
            html += "<tr class=\"\(entry.direction.rawValue)\"><td>+\(entry.atMs)ms</td><td>\(e(entry.connection))</td><td class=\"dir\">\(arrow)</td><td>"
            html += e(entry.summary)
            let headers = (entry.headers ?? []).filter { $0.count == 2 }.map { "\($0[0]): \($0[1])" }
            if !headers.isEmpty { html += "<pre>\(e(headers.joined(separator: "\n")))</pre>" }
            if let body = entry.body, !body.isEmpty { html += "<pre>\(e(body))</pre>" }
            html += "</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
