package import Foundation

/// A parsed JSON value that keeps what explaining a failed decode needs: numbers as their literal
/// text (so an integer beyond 64 bits or `1e400` is still a number, not a syntax error), object
/// members in document order, and each value's byte offset in the frame.
struct JSONTree {
    /// What the value is.
    enum Kind {
        case null
        case bool(Bool)
        /// The number exactly as written, validated against the JSON grammar.
        case number(String)
        case string(String)
        case array([JSONTree])
        /// Members in document order; a repeated key keeps every occurrence here.
        case object([(key: String, value: JSONTree)])
    }

    /// The value.
    var kind: Kind
    /// Where the value starts, in bytes from the start of the frame.
    var offset: Int
    /// Where the value ends: the offset of the byte after it.
    var end: Int

    /// Whether the value is JSON `null`.
    var isNull: Bool {
        if case .null = kind { true } else { false }
    }

    /// Parses a complete JSON text (RFC 8259, with an optional UTF-8 byte order mark as Foundation
    /// allows); `nil` when it is not one.
    static func parse(_ data: Data) -> JSONTree? {
        JSONTreeParser.parse(data)
    }

    /// The byte offset of the value at `path` (a `WirePath` description such as `mutations[3].seq`).
    /// For a member or element that is not there, the end of the object or array that lacks it.
    /// Issues sort by it into document order, those of absent members last in their object.
    func offset(of path: String) -> Int {
        var node = self
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.first == "." { rest = rest.dropFirst() }
            if rest.first == "[", let close = rest.firstIndex(of: "]") {
                guard case .array(let elements) = node.kind, let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      elements.indices.contains(index) else { return node.end }
                node = elements[index]
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard case .object(let members) = node.kind else { return node.offset }
            // A key may itself hold `.` or `[`: take the longest member name that ends where a path step does.
            let match = members.filter { member in
                rest.hasPrefix(member.key) && [nil, ".", "["].contains(rest.dropFirst(member.key.count).first)
            }.max { $0.key.count < $1.key.count }
            guard let match else { return node.end }
            node = match.value
            rest = rest.dropFirst(match.key.count)
        }
        return node.offset
    }
}

/// A recursive-descent parser for `JSONTree`, strict about the grammar like Foundation's.
private struct JSONTreeParser {
    private let bytes: [UInt8]
    private var index = 0
    /// Deeper nesting is refused rather than risking the stack; Foundation refuses it too.
    private static let maxDepth = 512

    static func parse(_ data: Data) -> JSONTree? {
        var parser = JSONTreeParser(bytes: [UInt8](data))
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.index == parser.bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value(depth: Int) -> JSONTree? {
        skipWhitespace()
        guard index < bytes.count, depth <= Self.maxDepth else { return nil }
        let start = index
        let kind: JSONTree.Kind?
        switch bytes[index] {
        case UInt8(ascii: "{"): kind = object(depth: depth)
        case UInt8(ascii: "["): kind = array(depth: depth)
        case UInt8(ascii: "\""): kind = string().map { .string($0) }
        case UInt8(ascii: "t"): kind = literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): kind = literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): kind = literal("null") ? .null : nil
        default: kind = number().map { .number($0) }
        }
        return kind.map { JSONTree(kind: $0, offset: start, end: index) }
    }

    private mutating func object(depth: Int) -> JSONTree.Kind? {
        index += 1
        var members: [(key: String, value: JSONTree)] = []
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")), let value = value(depth: depth + 1) else { return nil }
            members.append((key, value))
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? .object(members) : nil
    }

    private mutating func array(depth: Int) -> JSONTree.Kind? {
        index += 1
        var elements: [JSONTree] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            guard let element = value(depth: depth + 1) else { return nil }
            elements.append(element)
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? .array(elements) : nil
    }

    /// A string starting at the opening quote; `nil` for bad escapes, lone surrogates, raw control
    /// characters or invalid UTF-8.
    private mutating func string() -> String? {
        index += 1
        var utf8: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                let text = String(decoding: utf8, as: UTF8.self)
                return text.utf8.elementsEqual(utf8) ? text : nil
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                if let unescaped = JSONEscape.byte(for: escape) {
                    utf8.append(unescaped)
                } else if escape == UInt8(ascii: "u"), let scalar = unicodeEscape() {
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                } else {
                    return nil
                }
            case 0..<0x20: return nil
            default: utf8.append(byte)
            }
        }
        return nil
    }

    /// The scalar of `\uXXXX` (after the `u`), joining a surrogate pair.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(unit) {
            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(),
                  (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(unit)
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
              bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
        index += 4
        return value
    }

    /// A number's text per the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() -> String? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if digits() > 0 { return nil }
        } else if digits() == 0 {
            return nil
        }
        if consume(UInt8(ascii: ".")), digits() == 0 { return nil }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            _ = consume(UInt8(ascii: "+")) || consume(UInt8(ascii: "-"))
            if digits() == 0 { return nil }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes[index...].starts(with: text) else { return false }
        index += text.count
        return true
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }
}

/// Checks on raw JSON text that decoding into dictionaries would hide.
package enum JSONText {
    /// Whether `data` is a JSON text with an object that names one member twice, at any depth
    /// (RFC 8259 leaves such objects' meaning open; RFC 7519 section 4 tells JWT parsers to
    /// refuse them). `nil` when `data` is not JSON.
    package static func hasDuplicateMembers(_ data: Data) -> Bool? {
        guard let root = JSONTree.parse(data) else { return nil }
        var pending = [root]
        while let node = pending.popLast() {
            switch node.kind {
            case .object(let members):
                var seen = Set<String>()
                for member in members {
                    if !seen.insert(member.key).inserted { return true }
                    pending.append(member.value)
                }
            case .array(let elements):
                pending.append(contentsOf: elements)
            default:
                break
            }
        }
        return false
    }
}
