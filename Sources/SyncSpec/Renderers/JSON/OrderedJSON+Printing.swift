extension OrderedJSON {
    /// The value as a complete JSON text: two-space indentation, keys in insertion order, one
    /// member or element per line, and a trailing newline. The same value always prints the
    /// same bytes.
    package var prettyPrinted: String {
        var output = ""
        write(to: &output, indent: "")
        output += "\n"
        return output
    }

    /// The value on one line without spaces or trailing newline, such as `{"a":[1,2]}`.
    package var compactPrinted: String {
        var output = ""
        write(to: &output, indent: nil)
        return output
    }

    /// Writes the value; `indent` is the current line's indentation, `nil` for compact output.
    private func write(to output: inout String, indent: String?) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .number(let value): output += Self.format(value)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            let inner = indent.map { $0 + "  " }
            output += "["
            for (index, item) in items.enumerated() {
                output += index == 0 ? "" : ","
                output += inner.map { "\n" + $0 } ?? ""
                item.write(to: &output, indent: inner)
            }
            output += indent.map { "\n" + $0 } ?? ""
            output += "]"
        case .object(let object):
            guard !object.isEmpty else {
                output += "{}"
                return
            }
            let inner = indent.map { $0 + "  " }
            output += "{"
            for (index, member) in object.members.enumerated() {
                output += index == 0 ? "" : ","
                output += inner.map { "\n" + $0 } ?? ""
                Self.writeString(member.key, to: &output)
                output += inner == nil ? ":" : ": "
                member.value.write(to: &output, indent: inner)
            }
            output += indent.map { "\n" + $0 } ?? ""
            output += "}"
        }
    }

    /// Swift's shortest round-tripping form (`0.5`, `100.0`, `1e-07`), which is valid JSON and
    /// does not depend on the C library or locale. JSON has no infinities or NaN: those print
    /// as `null`.
    private static func format(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A JSON string literal escaped as RFC 8259 requires: quote, backslash and control
    /// characters; `/` and non-ASCII characters are written as they are.
    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
