import Foundation

// The fast codec of the values the generated types hold: scalars, arrays, maps and `JSONValue`.

extension String: WireJSONCodable {
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = try reader.readString()
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.write(self)
    }
}

extension Int64: WireJSONCodable {
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = try reader.readInt64()
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.write(self)
    }
}

extension Double: WireJSONCodable {
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = try reader.readDouble()
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.write(self)
    }
}

extension Bool: WireJSONCodable {
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = try reader.readBool()
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.write(self)
    }
}

extension Array: WireJSONCodable where Element: WireJSONCodable {
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = []
        try reader.beginArray()
        while try reader.nextElement() {
            append(try Element(json: &reader))
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.writeJSON(to: &writer) }
        writer.endArray()
    }
}

extension Dictionary: WireJSONCodable where Key == String, Value: WireJSONCodable {
    /// A repeated key is a miss (Foundation keeps the first).
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        self = [:]
        try reader.beginObject()
        while let key = try reader.nextKeyString() {
            let value = try Value(json: &reader)
            try JSONReader.require(updateValue(value, forKey: key) == nil)
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in writer.orderedKeys(self) {
            writer.key(key)
            self[key].unsafelyUnwrapped.writeJSON(to: &writer)
        }
        writer.endObject()
    }
}

extension JSONValue: WireJSONCodable {
    /// Numbers as Foundation's `JSONValue` decoding reads them: an integer literal is an `int`,
    /// a literal with a fraction or exponent whose value is not whole is a `double`. The rest is
    /// a miss: an integer beyond 64 bits, and a whole value written with a fraction or exponent
    /// (`2.0`, `1e2`), which Foundation makes an `int` when it fits.
    public init(json reader: inout JSONReader) throws(JSONReader.Miss) {
        switch try reader.nextKind() {
        case UInt8(ascii: "n"):
            _ = try reader.readNull()
            self = .null
        case UInt8(ascii: "t"), UInt8(ascii: "f"): self = .bool(try reader.readBool())
        case UInt8(ascii: "\""): self = .string(try reader.readString())
        case UInt8(ascii: "["): self = .array(try [JSONValue](json: &reader))
        case UInt8(ascii: "{"): self = .object(try JSONObject(json: &reader))
        default:
            if try reader.nextIsInteger() {
                self = .int(try reader.readInt64())
            } else {
                let number = try reader.readDouble()
                try JSONReader.require(number.rounded(.towardZero) != number)
                self = .double(number)
            }
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let flag): writer.write(flag)
        case .int(let number): writer.write(number)
        case .double(let number): writer.write(number)
        case .string(let text): writer.write(text)
        case .array(let items): items.writeJSON(to: &writer)
        case .object(let members): members.writeJSON(to: &writer)
        }
    }
}
