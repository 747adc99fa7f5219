import Foundation

/// The `sha-256` member of an RFC 9530 `Content-Digest` header, which is an RFC 8941 structured
/// dictionary (UPL-4). Other members (other algorithms) are ignored; parameters are allowed.
package enum ContentDigest {
    /// The 32-byte SHA-256 the header states, or `nil` when the header is not a valid dictionary,
    /// has no `sha-256` member, or that member is not a byte sequence of exactly 32 bytes
    /// (`digest_missing`).
    package static func sha256(_ header: String) -> [UInt8]? {
        var parser = StructuredFieldParser(header)
        guard let members = parser.dictionary(), case .bytes(let digest)? = members["sha-256"], digest.count == 32 else {
            return nil
        }
        return digest
    }
}

/// An RFC 8941 member value, as far as a digest header needs to tell them apart.
enum StructuredItem: Sendable, Hashable {
    /// A byte sequence (`:base64:`), decoded.
    case bytes([UInt8])
    /// Any other item or inner list.
    case other
}

/// A parser for RFC 8941 dictionaries (section 4.2): members `key[=item-or-inner-list]` with
/// parameters, separated by commas. Only byte sequences keep their value.
struct StructuredFieldParser {
    private let input: [UInt8]
    private var position = 0

    /// A parser over a header value.
    init(_ text: String) {
        input = Array(text.utf8)
    }

    /// The dictionary, the last of duplicate keys winning; `nil` when the text is not one.
    mutating func dictionary() -> [String: StructuredItem]? {
        var members: [String: StructuredItem] = [:]
        skip(" ")
        while position < input.count {
            guard let key = key() else { return nil }
            if peek == UInt8(ascii: "=") {
                position += 1
                if peek == UInt8(ascii: "(") {
                    guard innerList() else { return nil }
                    members[key] = .other
                } else {
                    guard let item = bareItem() else { return nil }
                    members[key] = item
                }
            } else {
                members[key] = .other
            }
            guard parameters() else { return nil }
            skipOWS()
            if position == input.count { return members }
            guard peek == UInt8(ascii: ",") else { return nil }
            position += 1
            skipOWS()
            if position == input.count { return nil }
        }
        return members
    }

    private var peek: UInt8? { position < input.count ? input[position] : nil }

    private mutating func skip(_ character: Unicode.Scalar) {
        while peek == UInt8(ascii: character) { position += 1 }
    }

    private mutating func skipOWS() {
        while peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") { position += 1 }
    }

    /// `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`.
    private mutating func key() -> String? {
        guard let first = peek, Self.isLowerAlpha(first) || first == UInt8(ascii: "*") else { return nil }
        let start = position
        while let byte = peek, Self.isLowerAlpha(byte) || Self.isDigit(byte) || "_-.*".utf8.contains(byte) { position += 1 }
        return String(decoding: input[start..<position], as: UTF8.self)
    }

    private mutating func parameters() -> Bool {
        while peek == UInt8(ascii: ";") {
            position += 1
            skip(" ")
            guard key() != nil else { return false }
            if peek == UInt8(ascii: "=") {
                position += 1
                guard bareItem() != nil else { return false }
            }
        }
        return true
    }

    private mutating func innerList() -> Bool {
        position += 1
        while position < input.count {
            skip(" ")
            if peek == UInt8(ascii: ")") {
                position += 1
                return parameters()
            }
            guard bareItem() != nil, parameters() else { return false }
            guard peek == UInt8(ascii: " ") || peek == UInt8(ascii: ")") else { return false }
        }
        return false
    }

    private mutating func bareItem() -> StructuredItem? {
        guard let first = peek else { return nil }
        switch first {
        case UInt8(ascii: ":"): return byteSequence().map(StructuredItem.bytes)
        case UInt8(ascii: "\""): return string() ? .other : nil
        case UInt8(ascii: "?"): return boolean() ? .other : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number() ? .other : nil
        default: return token() ? .other : nil
        }
    }

    /// `:base64:` with RFC 4648 padding.
    private mutating func byteSequence() -> [UInt8]? {
        position += 1
        let start = position
        while let byte = peek, byte != UInt8(ascii: ":") {
            guard Self.isDigit(byte) || Self.isAlpha(byte) || "+/=".utf8.contains(byte) else { return nil }
            position += 1
        }
        guard peek == UInt8(ascii: ":") else { return nil }
        let encoded = String(decoding: input[start..<position], as: UTF8.self)
        position += 1
        return Data(base64Encoded: encoded).map(Array.init)
    }

    private mutating func string() -> Bool {
        position += 1
        while let byte = peek {
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = peek, escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: "\"") else { return false }
                position += 1
            case UInt8(ascii: "\""):
                return true
            case 0x20...0x7E:
                continue
            default:
                return false
            }
        }
        return false
    }

    private mutating func boolean() -> Bool {
        position += 1
        guard peek == UInt8(ascii: "0") || peek == UInt8(ascii: "1") else { return false }
        position += 1
        return true
    }

    private mutating func number() -> Bool {
        if peek == UInt8(ascii: "-") { position += 1 }
        let start = position
        while let byte = peek, Self.isDigit(byte) || byte == UInt8(ascii: ".") { position += 1 }
        let text = input[start..<position]
        guard let first = text.first, Self.isDigit(first), text.count <= 16, text.last != UInt8(ascii: ".") else { return false }
        return text.filter { $0 == UInt8(ascii: ".") }.count <= 1
    }

    private mutating func token() -> Bool {
        guard let first = peek, Self.isAlpha(first) || first == UInt8(ascii: "*") else { return false }
        while let byte = peek, byte > 0x20, byte < 0x7F, !"\"(),;<=>?@[\\]{}".utf8.contains(byte) { position += 1 }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLowerAlpha(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isAlpha(_ byte: UInt8) -> Bool { isLowerAlpha(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
}
