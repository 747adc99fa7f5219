import Foundation
public import SyncProtocol

/// RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object members sorted by their
/// UTF-16 code units, no insignificant whitespace, ECMAScript number formatting, minimal string
/// escapes. The spec fingerprints push payloads and measures record sizes with it.
public enum CanonicalJSON {
    /// The canonical text.
    public static func encode(_ value: JSONValue) -> String {
        var output = ""
        write(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number): output += format(number)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                writeString(key, into: &output)
                output += ":"
                write(members[key] ?? .null, into: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// ECMAScript `Number.prototype.toString` for finite doubles: integers without a fraction
    /// below 1e21, otherwise the shortest round-trip digits with a signed, unpadded exponent.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return "0" }
        if number == number.rounded(), abs(number) < 1e21 {
            return String(Int64(exactly: number).map(String.init) ?? String(format: "%.0f", number))
        }
        var text = "\(number)"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = text[..<e]
            var exponent = text[text.index(after: e)...]
            var sign = "+"
            if exponent.first == "-" || exponent.first == "+" {
                sign = exponent.first == "-" ? "-" : "+"
                exponent = exponent.dropFirst()
            }
            let digits = exponent.drop { $0 == "0" }
            let trimmedMantissa = mantissa.hasSuffix(".0") ? mantissa.dropLast(2) : mantissa
            text = "\(trimmedMantissa)e\(sign)\(digits.isEmpty ? "0" : String(digits))"
        }
        return text
    }
}
