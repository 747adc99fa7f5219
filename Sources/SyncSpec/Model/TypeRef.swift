import Foundation

/// A field's type as the spec writes it: a builtin, a named schema or enum, an array or a map.
public indirect enum TypeRef: Sendable, Hashable, CustomStringConvertible {
    /// A JSON string.
    case string
    /// A JSON integer that fits in 64 bits.
    case int
    /// Any JSON number.
    case number
    /// `true` or `false`.
    case bool
    /// Any JSON object.
    case object
    /// Any JSON value.
    case any
    /// A schema or enum defined in the spec.
    case named(String)
    /// `[T]`: a JSON array of T.
    case array(TypeRef)
    /// `{T}`: a JSON object whose values are T.
    case map(TypeRef)

    /// Parses the spec's type syntax (`string`, `Mutation`, `[Mutation]`, `{int}`); `nil` when malformed.
    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") {
            guard let inner = TypeRef(parsing: String(text.dropFirst().dropLast())) else { return nil }
            self = .array(inner)
            return
        }
        if text.hasPrefix("{"), text.hasSuffix("}") {
            guard let inner = TypeRef(parsing: String(text.dropFirst().dropLast())) else { return nil }
            self = .map(inner)
            return
        }
        switch text {
        case "string": self = .string
        case "int": self = .int
        case "number": self = .number
        case "bool": self = .bool
        case "object": self = .object
        case "any": self = .any
        default:
            guard let first = text.unicodeScalars.first, first.properties.isUppercase,
                  text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) })
            else { return nil }
            self = .named(text)
        }
    }

    /// The spec syntax for this type.
    public var description: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .number: "number"
        case .bool: "bool"
        case .object: "object"
        case .any: "any"
        case .named(let name): name
        case .array(let element): "[\(element)]"
        case .map(let value): "{\(value)}"
        }
    }

    /// The names of schemas and enums this type mentions, innermost included.
    public var referencedNames: [String] {
        switch self {
        case .named(let name): [name]
        case .array(let inner), .map(let inner): inner.referencedNames
        default: []
        }
    }
}
