/// The JUnit XML report CI systems read: one `testsuite` per category, one `testcase` per vector.
public enum JUnitReport {
    /// The report as JUnit XML.
    public static func render(_ report: RunReport) -> String {
        let categories = Array(Set(report.vectors.map(\.category))).sorted()
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = report.vectors.filter { [.failed, .unexpectedPass].contains($0.status) }.count
        let errors = report.vectors.filter { $0.status == .error }.count
        let skipped = report.vectors.filter { [.skipped, .knownFailing].contains($0.status) }.count
        xml += "<testsuites name=\"sync-conformance\" tests=\"\(report.vectors.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(report.durationMs))\">\n"
        for category in categories {
            let vectors = report.vectors.filter { $0.category == category }
            xml += "  <testsuite name=\"\(escape(category))\" tests=\"\(vectors.count)\""
            xml += " failures=\"\(vectors.filter { [.failed, .unexpectedPass].contains($0.status) }.count)\""
            xml += " errors=\"\(vectors.filter { $0.status == .error }.count)\""
            xml += " skipped=\"\(vectors.filter { [.skipped, .knownFailing].contains($0.status) }.count)\">\n"
            for vector in vectors {
                xml += "    <testcase classname=\"\(escape(category))\" name=\"\(escape(vector.id))\" time=\"\(seconds(vector.durationMs))\""
                let message = vector.failure.map { "\($0.step): \($0.message)" } ?? vector.reason ?? ""
                switch vector.status {
                case .passed: xml += "/>\n"
                case .skipped, .knownFailing: xml += ">\n      <skipped message=\"\(escape(vector.status.rawValue + ": " + message))\"/>\n    </testcase>\n"
                case .failed, .unexpectedPass: xml += ">\n      <failure message=\"\(escape(vector.status.rawValue + ": " + message))\"/>\n    </testcase>\n"
                case .error: xml += ">\n      <error message=\"\(escape(message))\"/>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    static func seconds(_ ms: Int) -> String {
        "\(ms / 1000).\(String(ms % 1000).leftPad(3).replacingOccurrences(of: " ", with: "0"))"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case _ where scalar.value < 0x20 && scalar != "\t": out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
