import Foundation

/// Fields, types and constraints.
extension LintContext {
    func checkTypes() {
        for schema in spec.schemas {
            checkSince(schema.info, "schema '\(schema.name)'")
            checkFields(schema.fields, of: "schema '\(schema.name)'")
        }
    }

    func checkFields(_ fields: [Field], of owner: String, namesAreHTTP: Bool = false) {
        for field in fields {
            let what = "field '\(field.name)' of \(owner)"
            if !namesAreHTTP { expect(field.name, matches: Self.snakeCase, "field", at: field.info.location) }
            checkSince(field.info, what)
            checkType(field.type, at: field.info.location, what: what)
            checkConstraints(field, what: what)
            if let example = field.example {
                for violation in ValueChecker(spec: spec).check(example, type: field.type, constraints: field.constraints) {
                    sink.error(violation.location, "example of \(what) fails its schema: \(violation)")
                }
            }
        }
    }

    func checkType(_ type: TypeRef, at location: SourceLocation, what: String) {
        for name in type.referencedNames where spec.schema(named: name) == nil && spec.enumeration(named: name) == nil {
            sink.error(location, "unknown type '\(name)' in \(what)")
        }
    }

    private func checkConstraints(_ field: Field, what: String) {
        let constraints = field.constraints
        for (key, bound) in constraints.bounds {
            if case .limit(let name) = bound, spec.limit(named: name) == nil {
                sink.error(field.info.location, "'\(key)' of \(what) names unknown limit '\(name)'")
            }
        }
        let kind = baseKind(field.type)
        func misplaced(_ key: String, _ isSet: Bool, allowed: Set<BaseKind>) {
            if isSet, !allowed.contains(kind) {
                sink.error(field.info.location, "'\(key)' does not apply to \(what) of type \(field.type)")
            }
        }
        // On a list of strings, the string constraints apply to each item (as JSON Schema's `items`).
        let stringish: Set<BaseKind> = field.type == .array(.string) ? [.collection] : [.string]
        misplaced("min_length", constraints.minLength != nil, allowed: stringish)
        misplaced("max_length", constraints.maxLength != nil, allowed: stringish)
        misplaced("pattern", constraints.pattern != nil, allowed: stringish)
        misplaced("minimum", constraints.minimum != nil, allowed: [.number, .integer])
        misplaced("maximum", constraints.maximum != nil, allowed: [.number, .integer])
        misplaced("min_items", constraints.minItems != nil, allowed: [.collection])
        misplaced("max_items", constraints.maxItems != nil, allowed: [.collection])
        misplaced("max_bytes", constraints.maxBytes != nil, allowed: [.collection, .structured])
        if let format = constraints.format {
            misplaced("format: \(format.rawValue)", true, allowed: format == .unixMs ? [.integer] : [.string])
        }
        if let pattern = constraints.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            sink.error(field.info.location, "'pattern' of \(what) is not a valid regular expression: \(pattern)")
        }
        if let min = constraints.minLength.flatMap(spec.resolve), let max = constraints.maxLength.flatMap(spec.resolve), min > max {
            sink.error(field.info.location, "min_length of \(what) is greater than its max_length")
        }
        if let min = constraints.minimum.flatMap(spec.resolve), let max = constraints.maximum.flatMap(spec.resolve), min > max {
            sink.error(field.info.location, "minimum of \(what) is greater than its maximum")
        }
    }

    enum BaseKind { case string, number, integer, collection, structured, other }

    /// What a type is, as far as constraints go (enums take none).
    private func baseKind(_ type: TypeRef) -> BaseKind {
        switch type {
        case .string: .string
        case .int: .integer
        case .number: .number
        case .array, .map: .collection
        case .object, .any: .structured
        case .named(let name): spec.schema(named: name) != nil ? .structured : .other
        case .bool: .other
        }
    }
}
