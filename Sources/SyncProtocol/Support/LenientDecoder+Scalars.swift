import Foundation

extension LenientDecoder {
    /// The value as `type` when it is a JSON scalar type, a string enum or `JSONValue`: what fits, or a
    /// placeholder after an issue. `nil` for other types, which decode through their containers.
    func scalar<T>(_ type: T.Type) -> T? {
        switch type {
        case is String.Type:
            return stringValue() as? T
        case is Bool.Type:
            guard case .bool(let value)? = node?.kind else {
                mismatch("must be true or false")
                return false as? T
            }
            return value as? T
        case is Double.Type:
            return floatingValue() as? T
        case is Float.Type:
            return Float(floatingValue()) as? T
        case is JSONValue.Type:
            return jsonValue() as? T
        default:
            if let integer = type as? any FixedWidthInteger.Type { return integerValue(integer) as? T }
            if let enumeration = type as? any CaseIterable.Type { return enumCase(enumeration) as? T }
            return nil
        }
    }

    private func stringValue() -> String {
        guard case .string(let value)? = node?.kind else {
            mismatch("must be a string")
            return ""
        }
        return value
    }

    /// An integer as `JSONDecoder` reads one: digits, or any number that is exactly an integer (`1e2`, `1.0`).
    private func integerValue<I: FixedWidthInteger>(_ type: I.Type) -> I {
        guard case .number(let text)? = node?.kind else {
            mismatch("must be an integer")
            return 0
        }
        if let value = Self.integer(I.self, text) { return value }
        let integral = !Self.hasFractionOrExponent(text) || Double(text).map { !$0.isFinite || $0 == $0.rounded() } == true
        report(integral ? "must be an integer that fits in \(I.bitWidth) bits" : "must be an integer")
        return 0
    }

    /// The integer a number's text holds: plain digits in range, or a number with fraction or
    /// exponent whose value is exactly such an integer (`1e2`, `1.0`), as `JSONDecoder` reads them.
    private static func integer<I: FixedWidthInteger>(_ type: I.Type, _ text: String) -> I? {
        guard hasFractionOrExponent(text) else { return I(text) }
        return Double(text).flatMap { I(exactly: $0) }
    }

    private static func hasFractionOrExponent(_ text: String) -> Bool {
        text.contains { $0 == "." || $0 == "e" || $0 == "E" }
    }

    /// A number that a 64-bit float holds: not one so large it overflows or so small it underflows to zero.
    private func floatingValue() -> Double {
        guard case .number(let text)? = node?.kind else {
            mismatch("must be a number")
            return 0
        }
        guard let value = Self.double(text) else {
            report("must be a number that fits in 64 bits")
            return 0
        }
        return value
    }

    private static func double(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        return value != 0 || mantissa.allSatisfy { "-0.".contains($0) } ? value : nil
    }

    /// The case whose raw value is the string; `nil` when the type's raw values are not strings.
    private func enumCase<E: CaseIterable>(_ type: E.Type) -> E? {
        let names = E.allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        guard let first = E.allCases.first, names.count == E.allCases.count else { return nil }
        if case .string(let value)? = node?.kind, let index = names.firstIndex(of: value) {
            return Array(E.allCases)[index]
        }
        mismatch("must be one of \(names.joined(separator: ", "))")
        return first
    }

    /// Any JSON value, numbers as `JSONValue.init(from:)` reads them; only a number no 64-bit float
    /// holds is an issue.
    private func jsonValue() -> JSONValue {
        switch node?.kind {
        case nil, .null?: return .null
        case .bool(let value)?: return .bool(value)
        case .string(let value)?: return .string(value)
        case .number(let text)?:
            if let value = Self.integer(Int64.self, text) { return .int(value) }
            if let value = Self.double(text) { return .double(value) }
            report("must be a number that fits in 64 bits")
            return .null
        case .array(let elements)?:
            return .array(elements.enumerated().map { child(index: $0.offset, node: $0.element).jsonValue() })
        case .object(let members)?:
            var object: JSONObject = [:]
            for (key, value) in members where object[key] == nil {
                object[key] = child(LenientKey(stringValue: key), node: value).jsonValue()
            }
            return .object(object)
        }
    }
}
