/// A JSON value whose objects keep their keys in insertion order, so that a document built the
/// same way always prints the same bytes. Every exported JSON document is built as one of these.
package indirect enum OrderedJSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer, printed exactly.
    case int(Int64)
    /// A number with a fraction or exponent.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([OrderedJSON])
    /// An object, keys in insertion order.
    case object(Object)

    /// A JSON object: members in insertion order, each key at most once.
    package struct Object: Sendable, Hashable, ExpressibleByDictionaryLiteral {
        /// The members in order.
        package private(set) var members: [Member] = []

        /// One key and its value.
        package struct Member: Sendable, Hashable {
            /// The key.
            package var key: String
            /// The value.
            package var value: OrderedJSON
        }

        /// An empty object.
        package init() {}

        /// An object with these members in this order; `nil` values are left out.
        package init(dictionaryLiteral elements: (String, OrderedJSON?)...) {
            for (key, value) in elements { self[key] = value }
        }

        /// Whether the object has no members.
        package var isEmpty: Bool { members.isEmpty }

        /// The value for `key`. Setting a new key appends it; setting an existing key replaces
        /// its value in place; setting `nil` removes it.
        package subscript(key: String) -> OrderedJSON? {
            get { members.first { $0.key == key }?.value }
            set {
                let index = members.firstIndex { $0.key == key }
                switch (index, newValue) {
                case let (index?, value?): members[index].value = value
                case let (index?, nil): members.remove(at: index)
                case let (nil, value?): members.append(Member(key: key, value: value))
                case (nil, nil): break
                }
            }
        }

        /// Adds the members of `other` after these, replacing the values of keys both have.
        package mutating func merge(_ other: Object) {
            for member in other.members { self[member.key] = member.value }
        }
    }
}

extension OrderedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .int(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: OrderedJSON...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, OrderedJSON?)...) {
        var object = Object()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension OrderedJSON {
    /// The JSON form of an example written in the spec, keys in the order written.
    package init(_ value: SpecValue) {
        switch value.kind {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .number(let number): self = .number(number)
        case .string(let string): self = .string(string)
        case .array(let items): self = .array(items.map(OrderedJSON.init))
        case .object(let pairs):
            var object = Object()
            for pair in pairs { object[pair.key] = OrderedJSON(pair.value) }
            self = .object(object)
        }
    }

    /// A string, or nothing when `text` is `nil` or empty.
    package static func text(_ text: String?) -> OrderedJSON? {
        guard let text, !text.isEmpty else { return nil }
        return .string(text)
    }

    /// An array of strings, or nothing when `items` is empty.
    package static func strings(_ items: [String]) -> OrderedJSON? {
        items.isEmpty ? nil : .array(items.map(OrderedJSON.string))
    }

    /// The object, or nothing when it is empty.
    package static func nonEmpty(_ object: Object) -> OrderedJSON? {
        object.isEmpty ? nil : .object(object)
    }
}
