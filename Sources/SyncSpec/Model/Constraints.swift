/// A numeric bound in a constraint: a number, or the name of a limit from `limits:`.
public enum Bound: Sendable, Hashable, CustomStringConvertible {
    /// A number written in place.
    case literal(Int64)
    /// A limit's name; its value comes from the spec's `limits:`.
    case limit(String)

    public var description: String {
        switch self {
        case .literal(let value): String(value)
        case .limit(let name): name
        }
    }
}

/// A string format the spec knows how to check.
public enum StringFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 9562 UUID in its textual form.
    case uuid
    /// 64 lowercase hexadecimal digits.
    case sha256Hex = "sha256_hex"
    /// An absolute URI.
    case uri
    /// Milliseconds since the Unix epoch, on an `int`.
    case unixMs = "unix_ms"
}

/// The checks a field's value must pass, beyond its type.
public struct Constraints: Sendable, Hashable {
    /// Fewest Unicode code points in a string.
    public var minLength: Bound?
    /// Most Unicode code points in a string.
    public var maxLength: Bound?
    /// A regular expression a string must match somewhere (anchor it to match all of it).
    public var pattern: String?
    /// A known format.
    public var format: StringFormat?
    /// Smallest allowed number, inclusive.
    public var minimum: Bound?
    /// Largest allowed number, inclusive.
    public var maximum: Bound?
    /// Fewest array elements or map entries.
    public var minItems: Bound?
    /// Most array elements or map entries.
    public var maxItems: Bound?
    /// Largest canonical JSON encoding of the value, in bytes.
    public var maxBytes: Bound?

    /// No constraints.
    public init() {}

    /// Whether no constraint is set.
    /// The string constraints (length, pattern, format), which on a list of strings apply to each item.
    public var itemStringConstraints: Constraints {
        var item = Constraints()
        item.minLength = minLength
        item.maxLength = maxLength
        item.pattern = pattern
        item.format = format
        return item
    }

    public var isEmpty: Bool { self == Constraints() }

    /// Every bound with the constraint key it sits under, in a fixed order.
    public var bounds: [(key: String, bound: Bound)] {
        let all: [(String, Bound?)] = [
            ("min_length", minLength), ("max_length", maxLength), ("minimum", minimum),
            ("maximum", maximum), ("min_items", minItems), ("max_items", maxItems), ("max_bytes", maxBytes),
        ]
        return all.compactMap { key, bound in bound.map { (key, $0) } }
    }
}
