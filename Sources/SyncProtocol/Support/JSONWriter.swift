import Foundation

/// Writes JSON bytes for the generated encoders.
///
/// By default the text is byte for byte what `WireCodec.encoder` (Foundation's `JSONEncoder` with
/// sorted keys and unescaped slashes) writes: members sorted by their UTF-8 bytes, an integral
/// double without `.0`, `"`, `\` and control characters escaped (`\b \t \n \f \r`, else
/// `\u00xx`). A canonical writer writes RFC 8785 instead (`CanonicalJSON`): map keys sorted by
/// UTF-16 code units and ECMAScript numbers; the generated types' own member names are ASCII,
/// on which both orders agree.
public struct JSONWriter {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether this writer writes RFC 8785's canonical form.
    public let canonical: Bool

    /// A writer of `WireCodec`'s encoding, or with `canonical`, of RFC 8785's.
    public init(canonical: Bool = false, capacity: Int = 512) {
        self.canonical = canonical
        bytes.reserveCapacity(capacity)
    }

    /// Opens an object.
    @inline(__always)
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes an object.
    @inline(__always)
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens an array.
    @inline(__always)
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
    }

    /// Closes an array.
    @inline(__always)
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
    }

    /// A member name the generated code knows to need no escape, and its colon; the comma
    /// before it when a member precedes it.
    @inline(__always)
    public mutating func key(_ name: StaticString) {
        if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A member name from data (a map's key), escaped, and its colon.
    public mutating func key(_ name: String) {
        if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        writeEscaped(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// The comma before an array element that follows another. A member's value follows its
    /// colon and an element the array's `[`: neither needs one.
    @inline(__always)
    private mutating func separate() {
        switch bytes.last {
        case nil, UInt8(ascii: "["), UInt8(ascii: ":"), UInt8(ascii: ","): break
        default: bytes.append(UInt8(ascii: ","))
        }
    }

    /// `null`.
    public mutating func writeNull() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// `true` or `false`.
    public mutating func write(_ flag: Bool) {
        separate()
        if flag {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    /// An integer in decimal.
    public mutating func write(_ number: Int64) {
        separate()
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// A number: Swift's shortest round-trip digits (an integral value without `.0`), or
    /// ECMAScript's in a canonical writer. JSON has no infinity or NaN: one is written `null`
    /// (generated types hold none; a computed value that ever were one must not break the text).
    public mutating func write(_ number: Double) {
        separate()
        guard number.isFinite else {
            bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
            return
        }
        if canonical {
            bytes.append(contentsOf: CanonicalJSON.format(number).utf8)
            return
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A string, escaped.
    public mutating func write(_ text: String) {
        separate()
        writeEscaped(text)
    }

    private mutating func writeEscaped(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                runStart = offset + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The keys of a map in the order this writer writes them.
    func orderedKeys<Value>(_ map: [String: Value]) -> [String] {
        if canonical {
            return map.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        }
        return map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
