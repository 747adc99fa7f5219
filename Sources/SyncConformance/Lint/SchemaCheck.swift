import Foundation
public import SyncSpec
import Yams

/// Checks a vector's YAML against `Conformance/vector.schema.json` with the JSON Schema 2020-12
/// keywords that schema uses, reporting each violation at its YAML node's line and column.
public struct SchemaCheck: Sendable {
    /// The schema document.
    public let schema: JSON

    /// Creates a checker for a parsed schema.
    public init(schema: JSON) {
        self.schema = schema
    }

    /// Reads the schema file.
    public static func load(path: String) throws -> SchemaCheck {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SchemaCheck(schema: try JSON.parse(Array(data)))
    }

    /// Every violation in one vector file's text (YAML errors are left to the loader).
    public func check(text: String, file: String) -> [Diagnostic] {
        guard let node = try? Yams.compose(yaml: text) else { return [] }
        return validate(YAMLNode(node: node, file: file), schema, path: "$")
    }

    func validate(_ node: YAMLNode, _ schema: JSON, path: String) -> [Diagnostic] {
        if case .bool(let allowed) = schema { return allowed ? [] : [fail(node, path, "is not allowed here")] }
        if let reference = schema["$ref"]?.string { return validate(node, resolve(reference), path: path) }
        let value = node.json
        var problems: [Diagnostic] = []
        if let type = schema["type"], !typeMatches(value, type) {
            return [fail(node, path, "must be \(type.string ?? type.compact), found \(value.typeName)")]
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { $0.jsonEquals(value) }) {
            problems.append(fail(node, path, "must be one of \(options.map(\.compact).joined(separator: ", ")), found \(value.compact)"))
        }
        if let constant = schema["const"], !constant.jsonEquals(value) {
            problems.append(fail(node, path, "must be \(constant.compact)"))
        }
        if let text = value.string {
            if let pattern = schema["pattern"]?.string, !Matcher.search(pattern, text) {
                problems.append(fail(node, path, "'\(text)' must match \(pattern)"))
            }
            if let minimum = schema["minLength"]?.integer, text.count < minimum {
                problems.append(fail(node, path, "must have at least \(minimum) characters"))
            }
        }
        if let number = value.number, let minimum = schema["minimum"]?.number, number < minimum {
            problems.append(fail(node, path, "must be at least \(schema["minimum"]!.compact)"))
        }
        if let items = node.sequence {
            if let minimum = schema["minItems"]?.integer, items.count < minimum {
                problems.append(fail(node, path, "must have at least \(minimum) item(s)"))
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += validate(item, itemSchema, path: "\(path)[\(index)]") }
            }
        }
        if let entries = node.entries { problems += validateObject(node, entries, schema, path: path) }
        if let options = schema["oneOf"].flatMap(arrayItems) { problems += oneOf(node, options, path: path) }
        return problems
    }

    private func validateObject(_ node: YAMLNode, _ entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ schema: JSON,
                                path: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let keys = entries.map(\.key)
        for case .string(let key) in schema["required"].flatMap(arrayItems) ?? [] where !keys.contains(key) {
            problems.append(fail(node, path, "needs '\(key)'"))
        }
        if let minimum = schema["minProperties"]?.integer, keys.count < minimum {
            problems.append(fail(node, path, "must have at least \(minimum) key(s)"))
        }
        if let maximum = schema["maxProperties"]?.integer, keys.count > maximum {
            problems.append(fail(node, path, "must have at most \(maximum) key(s), found \(keys.joined(separator: ", "))"))
        }
        let properties = schema["properties"]?.members ?? []
        for entry in entries {
            let childPath = path == "$" ? entry.key : "\(path).\(entry.key)"
            if let property = properties.first(where: { $0.key == entry.key }) {
                problems += validate(entry.value, property.value, path: childPath)
            } else if let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    problems.append(fail(entry.keyNode, childPath, "unknown key '\(entry.key)'"))
                } else {
                    problems += validate(entry.value, additional, path: childPath)
                }
            }
        }
        return problems
    }

    /// Exactly one option must hold; when none does, the closest one's problems are reported.
    private func oneOf(_ node: YAMLNode, _ options: [JSON], path: String) -> [Diagnostic] {
        let results = options.map { validate(node, $0, path: path) }
        let passing = results.filter(\.isEmpty).count
        if passing == 1 { return [] }
        if passing > 1 { return [fail(node, path, "matches more than one of its allowed forms")] }
        let keys = Set(node.entries?.map(\.key) ?? [])
        let ranked = zip(options, results).sorted { lhs, rhs in
            let left = requiredKeys(lhs.0).isSubset(of: keys) && !requiredKeys(lhs.0).isEmpty
            let right = requiredKeys(rhs.0).isSubset(of: keys) && !requiredKeys(rhs.0).isEmpty
            return left != right ? left : lhs.1.count < rhs.1.count
        }
        return ranked.first?.1 ?? []
    }

    private func requiredKeys(_ schema: JSON) -> Set<String> {
        Set((resolveIfReference(schema)["required"].flatMap(arrayItems) ?? []).compactMap(\.string))
    }

    private func typeMatches(_ value: JSON, _ type: JSON) -> Bool {
        if case .array(let types) = type { return types.contains { typeMatches(value, $0) } }
        switch type.string {
        case "integer": return value.integer != nil
        case "number": return value.number != nil
        case "string": return value.string != nil
        case "boolean": return value.typeName == "bool"
        case "object", "array", "null": return value.typeName == type.string
        default: return true
        }
    }

    private func resolve(_ reference: String) -> JSON {
        guard reference.hasPrefix("#/") else { return .bool(true) }
        var current = schema
        for part in reference.dropFirst(2).split(separator: "/") { current = current[String(part)] ?? .bool(true) }
        return current
    }

    private func resolveIfReference(_ schema: JSON) -> JSON {
        schema["$ref"]?.string.map(resolve) ?? schema
    }

    private func arrayItems(_ value: JSON) -> [JSON]? {
        if case .array(let items) = value { return items }
        return nil
    }

    private func fail(_ node: YAMLNode, _ path: String, _ message: String) -> Diagnostic {
        Diagnostic(at: node.location, "schema: \(path) \(message)")
    }
}
