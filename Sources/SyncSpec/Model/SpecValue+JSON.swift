import Foundation

extension SpecValue {
    /// The value as canonical JSON: keys sorted, no spaces, `/` unescaped.
    public var canonicalJSON: String {
        let data = (try? JSONSerialization.data(withJSONObject: foundationObject, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The value as Foundation objects (`NSNull`, `Bool`, `Int64`, `Double`, `String`, arrays, dictionaries).
    public var foundationObject: Any {
        switch kind {
        case .null: NSNull()
        case .bool(let value): value
        case .int(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.foundationObject)
        case .object(let pairs): Dictionary(pairs.map { ($0.key, $0.value.foundationObject) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
