public import Foundation

/// A wire value the generated codecs read and write directly, without `Codable`: the fast path of
/// `WireCodec`, several times cheaper than Foundation's `JSONDecoder` and `JSONEncoder`.
public protocol WireJSONCodable {
    /// Reads the value at the reader's position, or throws `JSONReader.Miss` for anything the
    /// fast path does not take (then `WireCodec` decodes the whole input through Foundation).
    init(json reader: inout JSONReader) throws(JSONReader.Miss)

    /// Writes the value's JSON: byte for byte what `WireCodec.encoder` writes, or in a
    /// canonical writer the RFC 8785 text.
    func writeJSON(to writer: inout JSONWriter)
}

/// A strict pull reader of JSON bytes for the generated decoders.
///
/// It takes only a subset of JSON on which it agrees with Foundation's `JSONDecoder`, and gives
/// up (`Miss`) on the rest: a byte order mark, an escape in a member name, a number with a
/// fraction or exponent where an integer is read, an integer beyond 64 bits or written `-0`, a
/// lone surrogate, invalid UTF-8, a control character in a string, a repeated or missing member,
/// nesting deeper than `depthLimit`, and any syntax error. A miss costs one more decode of the
/// same bytes through Foundation, which decides (and explains a failure with the spec's codes),
/// so what a peer sees never depends on which path ran. The reader lives only inside `read`,
/// while its bytes do.
public struct JSONReader {
    /// Thrown when the fast path does not take the input.
    public struct Miss: Error {
        /// Creates the signal.
        public init() {}
    }

    /// Nesting beyond this is left to Foundation (which bounds it too).
    static let depthLimit = 64

    private let base: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0
    /// Whether the container just entered has had no member or element yet. Every value read
    /// leaves it `false`, so one flag serves nested containers.
    private var atFirst = false

    private init(base: UnsafeRawBufferPointer) {
        self.base = base
    }

    /// The value the whole input holds (whitespace around it allowed), or `nil` for a miss.
    public static func read<T: WireJSONCodable>(_ type: T.Type, from data: Data) -> T? {
        data.withUnsafeBytes { bytes -> T? in
            var reader = JSONReader(base: bytes)
            guard let value = try? T(json: &reader) else { return nil }
            reader.skipWhitespace()
            return reader.index == bytes.count ? value : nil
        }
    }

    /// Throws a miss unless `condition` holds (a repeated or missing member, a wrong constant).
    @inline(__always)
    public static func require(_ condition: Bool) throws(Miss) {
        if !condition { throw Miss() }
    }

    // MARK: Bytes

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < base.count {
            switch base[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    @inline(__always)
    private mutating func peekByte() throws(Miss) -> UInt8 {
        skipWhitespace()
        guard index < base.count else { throw Miss() }
        return base[index]
    }

    /// The next byte after whitespace, consumed.
    @inline(__always)
    private mutating func take() throws(Miss) -> UInt8 {
        let byte = try peekByte()
        index += 1
        return byte
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8) throws(Miss) {
        guard try take() == byte else { throw Miss() }
    }

    private mutating func expect(word: StaticString) throws(Miss) {
        let count = word.utf8CodeUnitCount
        guard base.count - index >= count, memcmp(base.baseAddress! + index, word.utf8Start, count) == 0 else { throw Miss() }
        index += count
    }

    // MARK: Containers

    /// Enters an object: the next value must be `{`.
    public mutating func beginObject() throws(Miss) {
        try expect(UInt8(ascii: "{"))
        try enter()
    }

    /// Enters an array: the next value must be `[`.
    public mutating func beginArray() throws(Miss) {
        try expect(UInt8(ascii: "["))
        try enter()
    }

    private mutating func enter() throws(Miss) {
        depth += 1
        guard depth <= Self.depthLimit else { throw Miss() }
        atFirst = true
    }

    /// The next member's name, with the reader placed on its value; `nil` at the object's end.
    /// A name with an escape is a miss: the generated decoders compare names byte for byte.
    public mutating func nextKey() throws(Miss) -> JSONKey? {
        guard try startMember() else { return nil }
        let start = index
        while index < base.count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { break }
            guard byte != UInt8(ascii: "\\"), byte >= 0x20, byte < 0x80 else { throw Miss() }
            index += 1
        }
        guard index < base.count else { throw Miss() }
        let key = JSONKey(start: base.baseAddress! + start, count: index - start)
        index += 1
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// The next member's name as a string (escapes decoded), for maps; `nil` at the object's end.
    public mutating func nextKeyString() throws(Miss) -> String? {
        guard try startMember() else { return nil }
        let key = try readStringBody()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes the comma before a member and its name's opening quote, or the `}` that ends
    /// the object (`false`).
    private mutating func startMember() throws(Miss) -> Bool {
        var byte = try take()
        if byte == UInt8(ascii: "}") {
            // `{}`, or the end after a value: a `}` right after a comma fails the quote check below.
            depth -= 1
            atFirst = false
            return false
        }
        if !atFirst {
            guard byte == UInt8(ascii: ",") else { throw Miss() }
            byte = try take()
        }
        atFirst = false
        guard byte == UInt8(ascii: "\"") else { throw Miss() }
        return true
    }

    /// Whether another element follows (the reader placed on it), or the array ended (`false`).
    public mutating func nextElement() throws(Miss) -> Bool {
        let byte = try peekByte()
        if byte == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            atFirst = false
            return false
        }
        if !atFirst {
            guard byte == UInt8(ascii: ",") else { throw Miss() }
            index += 1
            // An element must follow: `]` after a comma starts no value, so reading it misses.
        }
        atFirst = false
        return true
    }

    /// The string value of member `name` of the object at the reader's position, the reader
    /// left where it was: how an envelope finds a frame's `type` before decoding the message.
    public mutating func peekMember(_ name: StaticString) throws(Miss) -> String {
        let (savedIndex, savedDepth, savedFirst) = (index, depth, atFirst)
        defer { (index, depth, atFirst) = (savedIndex, savedDepth, savedFirst) }
        try beginObject()
        while let key = try nextKey() {
            if key == name { return try readString() }
            try skipValue()
        }
        throw Miss()
    }

    // MARK: Scalars

    /// Consumes `null` and answers `true`, or answers `false` and consumes nothing.
    public mutating func readNull() throws(Miss) -> Bool {
        guard try peekByte() == UInt8(ascii: "n") else { return false }
        try expect(word: "null")
        return true
    }

    /// `true` or `false`.
    public mutating func readBool() throws(Miss) -> Bool {
        switch try peekByte() {
        case UInt8(ascii: "t"): try expect(word: "true"); return true
        case UInt8(ascii: "f"): try expect(word: "false"); return false
        default: throw Miss()
        }
    }

    /// An integer written without fraction or exponent that fits in 64 bits (`-0` is a miss).
    public mutating func readInt64() throws(Miss) -> Int64 {
        let (start, end, isInteger) = try scanNumber()
        guard isInteger else { throw Miss() }
        var position = start
        let negative = base[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var magnitude: UInt64 = 0
        while position < end {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(base[position] &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw Miss() }
            magnitude = sum
            position += 1
        }
        if negative {
            guard magnitude != 0, magnitude <= UInt64(Int64.max) + 1 else { throw Miss() }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Miss() }
        return Int64(magnitude)
    }

    /// Any finite number.
    public mutating func readDouble() throws(Miss) -> Double {
        let (start, end, _) = try scanNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: base[start..<end]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Miss() }
        return value
    }

    /// Whether the next value is a number written without fraction or exponent.
    func nextIsInteger() throws(Miss) -> Bool {
        var probe = self
        return try probe.scanNumber().isInteger
    }

    /// Consumes a number checked against RFC 8259's grammar: its bytes, and whether it has
    /// neither fraction nor exponent.
    private mutating func scanNumber() throws(Miss) -> (start: Int, end: Int, isInteger: Bool) {
        skipWhitespace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw Miss() }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), isDigit(digit) else { throw Miss() }
            skipDigits()
            isInteger = false
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw Miss() }
            skipDigits()
            isInteger = false
        }
        if let next = peek(), isDigit(next) { throw Miss() } // a leading zero such as `01`
        return (start, index, isInteger)
    }

    @inline(__always)
    private func peek() -> UInt8? {
        index < base.count ? base[index] : nil
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    /// A string value.
    public mutating func readString() throws(Miss) -> String {
        try expect(UInt8(ascii: "\""))
        return try readStringBody()
    }

    /// The rest of a string whose opening quote was consumed: escapes decoded, UTF-8 checked.
    private mutating func readStringBody() throws(Miss) -> String {
        let start = index
        while index < base.count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeRawBufferPointer(rebasing: base[start..<index]), as: UTF8.self)
                index += 1
                guard let text else { throw Miss() }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            guard byte >= 0x20 else { throw Miss() }
            index += 1
        }
        throw Miss()
    }

    /// The slow path of a string holding escapes.
    private mutating func readEscapedString(from start: Int) throws(Miss) -> String {
        var bytes = Array(UnsafeRawBufferPointer(rebasing: base[start..<index]))
        while index < base.count {
            let byte = base[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw Miss() }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw Miss() }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): bytes.append(contentsOf: try readUnicodeEscape())
                default: throw Miss()
                }
            default:
                guard byte >= 0x20 else { throw Miss() }
                bytes.append(byte)
            }
        }
        throw Miss()
    }

    /// The UTF-8 bytes of a `\u` escape whose `\u` was consumed; a surrogate must be a whole pair.
    private mutating func readUnicodeEscape() throws(Miss) -> [UInt8] {
        var value = UInt32(try readHex4())
        if (0xD800..<0xDC00).contains(value) {
            try expect(word: "\\u")
            let low = UInt32(try readHex4())
            guard (0xDC00..<0xE000).contains(low) else { throw Miss() }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw Miss()
        }
        guard let scalar = Unicode.Scalar(value) else { throw Miss() }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func readHex4() throws(Miss) -> UInt16 {
        guard base.count - index >= 4 else { throw Miss() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = base[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Miss()
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: Skipping

    /// Consumes any value, checking it as strictly as a read would (a member the type does not
    /// have is ignored, as Foundation ignores it, but must still be valid JSON).
    public mutating func skipValue() throws(Miss) {
        switch try peekByte() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKeyString() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try expect(word: "null")
        default: _ = try scanNumber()
        }
    }

    /// What kind of value comes next, for `JSONValue`.
    func nextKind() throws(Miss) -> UInt8 {
        var probe = self
        return try probe.peekByte()
    }
}

/// A member name as it stands in the input, compared with the names a type knows.
public struct JSONKey {
    let start: UnsafeRawPointer
    let count: Int

    /// Whether the name is `name`, byte for byte.
    @inline(__always)
    public static func == (key: JSONKey, name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.start, name.utf8Start, key.count) == 0
    }
}
