import Foundation

/// RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object members sorted by their
/// UTF-16 code units, no insignificant whitespace, ECMAScript number formatting, minimal string
/// escapes. The spec fingerprints push payloads and measures record sizes with it.
public enum CanonicalJSON {
    /// The canonical text.
    public static func encode(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The canonical text in UTF-8, written byte by byte (what a fingerprint hashes).
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    /// The length in UTF-8 bytes of `encode(value)`, counted without writing the text: how
    /// `max_bytes` limits are checked on every mutation.
    public static func byteCount(_ value: JSONValue) -> Int {
        switch value {
        case .null: 4
        case .bool(let flag): flag ? 4 : 5
        case .int(let number): digitCount(number)
        case .double(let number): format(number).utf8.count
        case .string(let text): stringByteCount(text)
        case .array(let items): items.reduce(1 + max(items.count, 1)) { $0 + byteCount($1) }
        case .object(let members):
            members.reduce(1 + max(members.count, 1)) { $0 + stringByteCount($1.key) + 1 + byteCount($1.value) }
        }
    }

    private static func digitCount(_ number: Int64) -> Int {
        var magnitude = number.magnitude, count = number < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }

    private static func stringByteCount(_ text: String) -> Int {
        var count = 2
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "\u{08}", "\u{0C}", "\n", "\r", "\t": count += 2
            default: count += scalar.value < 0x20 ? 6 : UTF8.width(scalar)
            }
        }
        return count
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): writeInteger(number, into: &output)
        case .double(let number): output.append(contentsOf: format(number).utf8)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(members[key] ?? .null, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits, written last to first and then turned around.
    private static func writeInteger(_ number: Int64, into output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        let start = output.count
        var magnitude = number.magnitude
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    /// A string with the minimal escapes. Every byte that needs one is ASCII, so the UTF-8 bytes
    /// of other characters go out as they are.
    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), byte]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20: output += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// ECMAScript `Number.prototype.toString` for finite doubles (RFC 8785 §3.2.2.3): the
    /// shortest digits that round-trip, as an integer or a decimal fraction when the decimal
    /// exponent is from -6 to 21, otherwise one digit, a fraction and a signed exponent.
    package static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return "0" }
        let (digits, exponent) = shortestDigits(abs(number))
        let sign = number < 0 ? "-" : ""
        let k = digits.count, n = exponent
        let body: String
        if k <= n, n <= 21 {
            body = digits + String(repeating: "0", count: n - k)
        } else if 0 < n, n <= 21 {
            body = String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        } else if -6 < n, n <= 0 {
            body = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let fraction = k > 1 ? "." + String(digits.dropFirst()) : ""
            body = String(digits.prefix(1)) + fraction + "e" + (n - 1 < 0 ? "-" : "+") + String(abs(n - 1))
        }
        return sign + body
    }

    /// The shortest round-trip decimal digits of a positive finite double (no leading or
    /// trailing zeros) and `n` such that the value is `0.digits × 10^n`, read from Swift's
    /// own shortest representation.
    private static func shortestDigits(_ value: Double) -> (digits: String, exponent: Int) {
        let text = "\(value)"
        var mantissa = Substring(text), power = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            power = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Substring(whole + fraction)
        var n = whole.count + power
        while digits.first == "0" {
            digits = digits.dropFirst()
            n -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), n)
    }
}
