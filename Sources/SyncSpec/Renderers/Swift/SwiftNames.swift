import Foundation

/// How spec names become Swift names, and how text becomes Swift source.
enum SwiftNames {
    /// Words Swift reserves; identifiers equal to one are written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "as", "false", "is", "nil", "self", "Self", "super", "throws",
        "true", "try", "Type", "Protocol", "any", "some",
    ]

    /// `record_id` -> `recordId`.
    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `push_result` -> `PushResult`.
    static func upperCamelCase(_ name: String) -> String {
        let lower = camelCase(name)
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }

    /// The Swift type of the WebSocket message `name`: `push_result` -> `PushResultMessage`.
    static func messageType(_ name: String) -> String { upperCamelCase(name) + "Message" }

    /// An identifier, escaped when it is a keyword.
    static func identifier(_ name: String) -> String {
        let swift = camelCase(name)
        return keywords.contains(swift) ? "`\(swift)`" : swift
    }

    /// An identifier for an HTTP header name: `Idempotency-Key` -> `idempotencyKey`.
    static func headerIdentifier(_ name: String) -> String {
        identifier(name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `///` lines for Markdown text, lines kept as written, trailing spaces dropped.
    static func docComment(_ text: String, indent: String = "") -> [String] {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                let content = String(line.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
                return content.isEmpty ? "\(indent)///" : "\(indent)/// \(content)"
            }
    }
}
