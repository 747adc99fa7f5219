import Foundation

/// Checks a `SpecValue` against a spec type and its constraints, the way the generated codecs and
/// the exported JSON Schemas do. The linter uses it on every example; tests use it as an oracle.
public struct ValueChecker: Sendable {
    /// One way a value breaks its schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// JSON path of the offending value, such as `mutations[3].record_id`.
        public var path: String
        /// What is wrong.
        public var message: String
        /// Where the offending value was written.
        public var location: SourceLocation

        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    /// The spec whose schemas, enums and limits apply.
    public let spec: ProtocolSpec

    /// Creates a checker for `spec`.
    public init(spec: ProtocolSpec) {
        self.spec = spec
    }

    /// Every violation of `value` against a message's frame (the `type` field included).
    public func check(_ value: SpecValue, message: MessageDefinition) -> [Violation] {
        var violations: [Violation] = []
        guard case .object(let pairs) = value.kind else {
            return [Violation(path: "", message: "must be an object", location: value.location)]
        }
        if let type = value["type"] {
            if type.kind != .string(message.name) {
                violations.append(Violation(path: "type", message: "must be \"\(message.name)\"", location: type.location))
            }
        } else {
            violations.append(Violation(path: "type", message: "is required", location: value.location))
        }
        checkFields(pairs.filter { $0.key != "type" }, at: value.location, fields: message.fields, path: "", into: &violations)
        return violations
    }

    /// Every violation of `value` against `type` and `constraints`.
    public func check(_ value: SpecValue, type: TypeRef, constraints: Constraints = Constraints(), path: String = "") -> [Violation] {
        var violations: [Violation] = []
        check(value, type: type, constraints: constraints, path: path, into: &violations)
        return violations
    }

    private func check(_ value: SpecValue, type: TypeRef, constraints: Constraints, path: String, into violations: inout [Violation]) {
        func fail(_ message: String) {
            violations.append(Violation(path: path, message: message, location: value.location))
        }
        switch (type, value.kind) {
        case (.any, _), (.bool, .bool), (.int, .int), (.number, .int), (.number, .number):
            break
        case (.string, .string(let text)):
            checkString(text, constraints: constraints, fail: fail)
        case (.object, .object):
            break
        case (.array(let element), .array(let items)):
            let itemConstraints = element == .string ? constraints.itemStringConstraints : Constraints()
            for (index, item) in items.enumerated() {
                check(item, type: element, constraints: itemConstraints, path: "\(path)[\(index)]", into: &violations)
            }
        case (.map(let element), .object(let pairs)):
            for pair in pairs {
                check(pair.value, type: element, constraints: Constraints(), path: Self.join(path, pair.key), into: &violations)
            }
        case (.named(let name), _):
            checkNamed(value, name: name, path: path, into: &violations)
        default:
            fail("must be \(Self.expectation(type))")
            return
        }
        checkBounds(value, constraints: constraints, fail: fail)
    }

    private func checkNamed(_ value: SpecValue, name: String, path: String, into violations: inout [Violation]) {
        if let enumeration = spec.enumeration(named: name) {
            guard case .string(let text) = value.kind, enumeration.values.contains(where: { $0.name == text }) else {
                let allowed = enumeration.values.map(\.name).joined(separator: ", ")
                violations.append(Violation(path: path, message: "must be one of \(allowed)", location: value.location))
                return
            }
        } else if let schema = spec.schema(named: name) {
            guard case .object(let pairs) = value.kind else {
                violations.append(Violation(path: path, message: "must be an object (\(name))", location: value.location))
                return
            }
            checkFields(pairs, at: value.location, fields: schema.fields, path: path, into: &violations)
        }
    }

    private func checkFields(_ pairs: [(key: String, value: SpecValue)], at location: SourceLocation, fields: [Field], path: String, into violations: inout [Violation]) {
        for field in fields where field.required && !pairs.contains(where: { $0.key == field.name }) {
            violations.append(Violation(path: Self.join(path, field.name), message: "is required", location: location))
        }
        for pair in pairs {
            guard let field = fields.first(where: { $0.name == pair.key }) else {
                violations.append(Violation(path: Self.join(path, pair.key), message: "is not a field of this type", location: pair.value.location))
                continue
            }
            if case .null = pair.value.kind, !field.required { continue }
            check(pair.value, type: field.type, constraints: field.constraints, path: Self.join(path, pair.key), into: &violations)
        }
    }

    private func checkString(_ text: String, constraints: Constraints, fail: (String) -> Void) {
        let length = text.unicodeScalars.count
        if let min = constraints.minLength.flatMap(spec.resolve), length < min { fail("shorter than \(min)") }
        if let max = constraints.maxLength.flatMap(spec.resolve), length > max { fail("longer than \(max)") }
        if let pattern = constraints.pattern, !Self.matches(text, pattern: pattern) { fail("does not match \(pattern)") }
        if let format = constraints.format, !FormatCheck.matches(text, format: format) { fail("is not a valid \(format.rawValue)") }
    }

    private func checkBounds(_ value: SpecValue, constraints: Constraints, fail: (String) -> Void) {
        let number: Double? = switch value.kind {
        case .int(let int): Double(int)
        case .number(let double): double
        default: nil
        }
        if let number {
            if let min = constraints.minimum.flatMap(spec.resolve), number < Double(min) { fail("less than \(min)") }
            if let max = constraints.maximum.flatMap(spec.resolve), number > Double(max) { fail("greater than \(max)") }
        }
        let count: Int? = switch value.kind {
        case .array(let items): items.count
        case .object(let pairs): pairs.count
        default: nil
        }
        if let count {
            if let min = constraints.minItems.flatMap(spec.resolve), count < min { fail("fewer than \(min) items") }
            if let max = constraints.maxItems.flatMap(spec.resolve), count > max { fail("more than \(max) items") }
        }
        if let max = constraints.maxBytes.flatMap(spec.resolve), value.canonicalJSON.utf8.count > max {
            fail("larger than \(max) bytes")
        }
    }

    /// Whether `pattern` matches somewhere in `text` (JSON Schema semantics: unanchored).
    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: icuExpression(pattern)) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The ICU expression (`NSRegularExpression`) that means what `pattern` means in JSON Schema
    /// (ECMA-262, no flags): a `$` outside a class becomes `\z`, for ICU's `$` also matches before
    /// a final line terminator, so `"id\n"` would pass `^[a-z]+$`. Other constructs the spec uses
    /// mean the same in both.
    public static func icuExpression(_ pattern: String) -> String {
        var result = "", escaped = false, inClass = false
        for character in pattern {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if inClass {
                inClass = character != "]"
            } else if character == "[" {
                inClass = true
            } else if character == "$" {
                result += "\\z"
                continue
            }
            result.append(character)
        }
        return result
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func expectation(_ type: TypeRef) -> String {
        switch type {
        case .string: "a string"
        case .int: "an integer"
        case .number: "a number"
        case .bool: "true or false"
        case .object, .map: "an object"
        case .array: "an array"
        case .any: "a value"
        case .named(let name): "a \(name)"
        }
    }
}
