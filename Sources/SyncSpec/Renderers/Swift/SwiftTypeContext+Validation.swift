/// `collectIssues(at:into:)`: the spec's constraints as generated checks.
extension SwiftTypeContext {
    func renderValidation(fields: [Field], into w: inout SourceWriter) {
        let checked = fields.filter { !checks(for: $0, value: "value", path: "path").isEmpty }
        let patterns = checked.filter { $0.constraints.pattern != nil }
        w.block("public func collectIssues(at path: WirePath, into issues: inout [WireIssue])") { w in
            if checked.isEmpty { w.line("// The spec sets no constraints on this type's fields.") }
            for field in checked {
                let id = SwiftNames.identifier(field.name)
                let fieldPath = "path.appending(\(SwiftNames.literal(field.name)))"
                let lines = checks(for: field, value: "value", path: fieldPath)
                w.block(field.required ? "do" : "if let value = self.\(id)") { w in
                    if field.required { w.line("let value = self.\(id)") }
                    for line in lines { w.line(line) }
                }
            }
        }
        for field in patterns {
            w.line()
            let pattern = field.constraints.pattern ?? ""
            let expression = ValueChecker.icuExpression(pattern)
            w.line("private static let \(patternName(field)) = WirePattern(\(SwiftNames.literal(pattern)), expression: \(SwiftNames.literal(expression)))")
        }
    }

    private func patternName(_ field: Field) -> String {
        SwiftNames.camelCase(field.name) + "Pattern"
    }

    /// The check calls for one field's value.
    private func checks(for field: Field, value: String, path: String) -> [String] {
        let c = field.constraints
        let tail = "at: \(path), into: &issues)"
        var lines: [String] = []
        switch field.type {
        case .string:
            if c.minLength != nil || c.maxLength != nil {
                lines.append("Check.length(\(value), min: \(bound(c.minLength)), max: \(bound(c.maxLength)), \(tail)")
            }
            if c.pattern != nil { lines.append("Check.pattern(\(value), Self.\(patternName(field)), \(tail)") }
            switch c.format {
            case .uuid: lines.append("Check.format(\(value), .uuid, \(tail)")
            case .sha256Hex: lines.append("Check.format(\(value), .sha256Hex, \(tail)")
            case .uri: lines.append("Check.format(\(value), .uri, \(tail)")
            case .unixMs, nil: break
            }
        case .int, .number:
            if c.minimum != nil || c.maximum != nil {
                lines.append("Check.range(\(value), min: \(bound(c.minimum)), max: \(bound(c.maximum)), \(tail)")
            }
        case .array(.string) where c.minLength != nil || c.maxLength != nil || c.pattern != nil:
            // String constraints on a list of strings hold for each item, after the count (ERR-6).
            var item = field
            item.type = .string
            item.constraints = c.itemStringConstraints
            let each = ["Check.eachItem(\(value), at: \(path), into: &issues) { item, path, issues in"]
                + checks(for: item, value: "item", path: "path").map { "    " + $0 } + ["}"]
            if c.minItems != nil || c.maxItems != nil {
                lines.append("if Check.count(\(value).count, min: \(bound(c.minItems)), max: \(bound(c.maxItems)), \(tail) {")
                lines += each.map { "    " + $0 }
                lines.append("}")
            } else {
                lines += each
            }
        case .array(let element), .map(let element):
            let counted = c.minItems != nil || c.maxItems != nil
            let count = "Check.count(\(value).count, min: \(bound(c.minItems)), max: \(bound(c.maxItems)), \(tail)"
            switch (counted, isSchema(element)) {
            case (true, true):
                // ERR-6: a count limit comes before the items it counts; past it, no per-item work.
                lines.append("if \(count) {")
                lines.append("    Check.each(\(value), \(tail)")
                lines.append("}")
            case (true, false): lines.append(count)
            case (false, true): lines.append("Check.each(\(value), \(tail)")
            case (false, false): break
            }
        case .named:
            if isSchema(field.type) { lines.append("\(value).collectIssues(\(tail)") }
        case .bool, .object, .any:
            break
        }
        if let maxBytes = c.maxBytes {
            lines.append("Check.maxBytes(\(value), max: \(bound(maxBytes)), \(tail)")
        }
        return lines
    }
}
