import Yams

/// Turns a YAML node into a JSON-like `SpecValue`, keeping where each part was written.
/// Quoted scalars are strings; plain scalars follow YAML's core schema (null, bools, numbers).
enum SpecValueReader {
    static func read(_ node: YAMLNode) -> SpecValue {
        let location = node.location
        switch node.node {
        case .scalar(let scalar):
            return SpecValue(scalarKind(scalar), at: location)
        case .sequence:
            return SpecValue(.array((node.sequence ?? []).map(read)), at: location)
        case .mapping:
            let pairs = (node.entries ?? []).map { (key: $0.key, value: read($0.value)) }
            return SpecValue(.object(pairs), at: location)
        case .alias:
            return SpecValue(.null, at: location)
        }
    }

    private static func scalarKind(_ scalar: Node.Scalar) -> SpecValue.Kind {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        switch text {
        case "null", "Null", "NULL", "~", "": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let int = Int64(text) { return .int(int) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let double = Double(text), double.isFinite {
            return .number(double)
        }
        return .string(text)
    }
}
