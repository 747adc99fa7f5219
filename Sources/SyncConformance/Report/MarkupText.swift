/// Escaping for the XML and HTML reports. Wire logs hold whatever an implementation sent, so
/// every character that markup could misread, and every character XML 1.0 forbids, is escaped.
enum MarkupText {
    /// `text` safe inside an element or a double-quoted attribute, in XML or HTML: the five
    /// special characters become entities, and characters XML 1.0 does not allow (most C0
    /// controls, unpaired surrogates cannot occur in a Swift string, U+FFFE/U+FFFF) become a
    /// visible `\u{XX}` form, so a hostile body can neither break the document nor inject markup.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if allowedInXML(scalar) {
                    result.unicodeScalars.append(scalar)
                } else {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                }
            }
        }
        return result
    }

    /// Whether XML 1.0 allows the character (`Char` production), minus the C1 controls and DEL,
    /// which are legal but invisible and confusing in a report.
    private static func allowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Milliseconds as seconds with three decimals, as JUnit's `time` attributes expect.
    static func seconds(_ milliseconds: Int) -> String {
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        let padded = String(fraction).count < 3 ? String(repeating: "0", count: 3 - String(fraction).count) + String(fraction) : String(fraction)
        return "\(whole).\(padded)"
    }
}
