/// A JSON-like value read from YAML (an example), with where each part was written.
public struct SpecValue: Sendable, Hashable {
    /// The value's shape.
    public indirect enum Kind: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int64)
        case number(Double)
        case string(String)
        case array([SpecValue])
        /// Keys in the order written.
        case object([(key: String, value: SpecValue)])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): true
            case let (.bool(a), .bool(b)): a == b
            case let (.int(a), .int(b)): a == b
            case let (.number(a), .number(b)): a == b
            case let (.string(a), .string(b)): a == b
            case let (.array(a), .array(b)): a == b
            case let (.object(a), .object(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .null: hasher.combine(0)
            case .bool(let value): hasher.combine(value)
            case .int(let value): hasher.combine(value)
            case .number(let value): hasher.combine(value)
            case .string(let value): hasher.combine(value)
            case .array(let values): hasher.combine(values)
            case .object(let pairs):
                for pair in pairs {
                    hasher.combine(pair.key)
                    hasher.combine(pair.value)
                }
            }
        }
    }

    /// The value.
    public var kind: Kind
    /// Where it was written.
    public var location: SourceLocation

    /// Creates a value.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// Equality of content, ignoring where it was written.
    public static func == (lhs: SpecValue, rhs: SpecValue) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// The value for `key` when this is an object.
    public subscript(key: String) -> SpecValue? {
        guard case .object(let pairs) = kind else { return nil }
        return pairs.first { $0.key == key }?.value
    }
}
