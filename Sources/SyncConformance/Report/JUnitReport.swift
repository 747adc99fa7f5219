/// The run as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub Actions reporters)
/// read: one `testsuite` per category, one `testcase` per vector. Skipped and known-failing
/// vectors are `skipped`; failed and unexpectedly passing vectors are `failure`; vectors the
/// runner could not carry out are `error`. Each failing case carries the step, the diff and
/// the wire log, so a CI page shows what was exchanged without opening the HTML report.
public enum JUnitReport {
    /// The XML document for `report`.
    public static func render(_ report: RunReport) -> String {
        let categories = Dictionary(grouping: report.vectors, by: \.category).sorted { $0.key < $1.key }
        let counts = Counts(report.vectors)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += "<testsuites name=\"sync-conformance\"\(counts.attributes) time=\"\(MarkupText.seconds(report.durationMs))\">\n"
        for (category, vectors) in categories {
            let suiteCounts = Counts(vectors)
            let time = vectors.reduce(0) { $0 + $1.durationMs }
            xml += "  <testsuite name=\"\(MarkupText.escaped(category))\"\(suiteCounts.attributes) time=\"\(MarkupText.seconds(time))\">\n"
            xml += "    <properties>\n"
            xml += property("target", report.target)
            xml += property("spec_version", report.specVersion)
            xml += property("tool_version", report.toolVersion)
            if let profile = report.profile { xml += property("profile", profile) }
            xml += property("features", report.features.joined(separator: ","))
            xml += property("verdict", report.summary.verdict)
            xml += "    </properties>\n"
            for vector in vectors { xml += testCase(vector) }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func property(_ name: String, _ value: String) -> String {
        "      <property name=\"\(name)\" value=\"\(MarkupText.escaped(value))\"/>\n"
    }

    private static func testCase(_ vector: VectorReport) -> String {
        let name = MarkupText.escaped("\(vector.id) [\(vector.level)] \(vector.title)")
        var xml = "    <testcase classname=\"conformance.\(MarkupText.escaped(vector.category))\" name=\"\(name)\" time=\"\(MarkupText.seconds(vector.durationMs))\""
        switch vector.status {
        case .passed:
            return xml + "/>\n"
        case .skipped:
            xml += ">\n      <skipped message=\"\(MarkupText.escaped(vector.reason ?? "skipped"))\"/>\n"
        case .knownFailing:
            xml += ">\n      <skipped message=\"\(MarkupText.escaped("known failing: " + (vector.reason ?? "listed in the profile")))\"/>\n"
            xml += systemOut(vector)
        case .failed, .unexpectedPass:
            let message = vector.status == .unexpectedPass
                ? "passed, but the profile lists it as known failing: remove it from known_failing"
                : vector.failure?.message ?? "failed"
            xml += ">\n      <failure type=\"\(vector.status.rawValue)\" message=\"\(MarkupText.escaped(message))\">"
            xml += MarkupText.escaped(failureText(vector)) + "</failure>\n"
            xml += systemOut(vector)
        case .error:
            xml += ">\n      <error type=\"error\" message=\"\(MarkupText.escaped(vector.failure?.message ?? "the runner could not carry out the vector"))\">"
            xml += MarkupText.escaped(failureText(vector)) + "</error>\n"
            xml += systemOut(vector)
        }
        return xml + "    </testcase>\n"
    }

    private static func systemOut(_ vector: VectorReport) -> String {
        guard !vector.wireLog.isEmpty else { return "" }
        return "      <system-out>" + MarkupText.escaped(WireLogText.lines(vector.wireLog).joined(separator: "\n")) + "</system-out>\n"
    }

    /// The failure as text: requirements, step, message, then the diff.
    private static func failureText(_ vector: VectorReport) -> String {
        var lines = ["requirements: " + vector.requirements.joined(separator: ", ")]
        if let failure = vector.failure {
            lines.append("step \(failure.stepIndex): \(failure.step)")
            lines.append(failure.message)
            if !failure.diff.isEmpty {
                lines.append("diff (- expected, + actual):")
                lines += failure.diff
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The `tests`/`failures`/`errors`/`skipped` attributes of a group of vectors.
    private struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0

        init(_ vectors: [VectorReport]) {
            tests = vectors.count
            for vector in vectors {
                switch vector.status {
                case .passed: break
                case .failed, .unexpectedPass: failures += 1
                case .error: errors += 1
                case .skipped, .knownFailing: skipped += 1
                }
            }
        }

        var attributes: String {
            " tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
        }
    }
}
