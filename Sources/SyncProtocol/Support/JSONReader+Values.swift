// The values a `JSONReader` reads: literals, numbers, strings, and values skipped whole.
extension JSONReader {
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
    mutating func scanNumber() throws(Miss) -> (start: Int, end: Int, isInteger: Bool) {
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
    func peek() -> UInt8? {
        index < base.count ? base[index] : nil
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    /// A string value.
    public mutating func readString() throws(Miss) -> String {
        try expect(UInt8(ascii: "\""))
        return try readStringBody()
    }

    /// The rest of a string whose opening quote was consumed: escapes decoded, UTF-8 checked.
    mutating func readStringBody() throws(Miss) -> String {
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
    mutating func readEscapedString(from start: Int) throws(Miss) -> String {
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
                if let unescaped = JSONEscape.byte(for: escape) {
                    bytes.append(unescaped)
                } else if escape == UInt8(ascii: "u") {
                    bytes.append(contentsOf: try readUnicodeEscape())
                } else {
                    throw Miss()
                }
            default:
                guard byte >= 0x20 else { throw Miss() }
                bytes.append(byte)
            }
        }
        throw Miss()
    }

    /// The UTF-8 bytes of a `\u` escape whose `\u` was consumed; a surrogate must be a whole pair.
    mutating func readUnicodeEscape() throws(Miss) -> [UInt8] {
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

    mutating func readHex4() throws(Miss) -> UInt16 {
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
