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

    /// The input, valid while `read` runs.
    let base: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    var index = 0
    /// How many objects and arrays enclose the position.
    var depth = 0
    /// Whether the container just entered has had no member or element yet. Every value read
    /// leaves it `false`, so one flag serves nested containers.
    var atFirst = false

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
    mutating func skipWhitespace() {
        while index < base.count {
            switch base[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    @inline(__always)
    mutating func peekByte() throws(Miss) -> UInt8 {
        skipWhitespace()
        guard index < base.count else { throw Miss() }
        return base[index]
    }

    /// The next byte after whitespace, consumed.
    @inline(__always)
    mutating func take() throws(Miss) -> UInt8 {
        let byte = try peekByte()
        index += 1
        return byte
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Miss) {
        guard try take() == byte else { throw Miss() }
    }

    mutating func expect(word: StaticString) throws(Miss) {
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

    mutating func enter() throws(Miss) {
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
    mutating func startMember() throws(Miss) -> Bool {
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
}

/// RFC 8259's two-character escapes.
enum JSONEscape {
    /// The byte `\` followed by `escape` stands for; `nil` for `u` (four hex digits follow) and
    /// for anything that is not an escape.
    static func byte(for escape: UInt8) -> UInt8? {
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escape
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
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
