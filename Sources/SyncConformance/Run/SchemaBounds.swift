import SyncSpec

/// The numeric, length and count bounds the spec puts on the fields of what a server sends,
/// checked on a received value: a `welcome` announcing a limit tighter than the spec's
/// (`ServerLimits` bounds each announced value by the spec's, LIM-3), a heartbeat interval
/// above `heartbeat_interval_seconds`, a page longer than its maximum. Types and patterns are
/// left to the vectors; only the bounds a schema states are checked here.
struct SchemaBounds: Sendable {
    private let schemas: [String: [Field]]
    private let messages: [String: [Field]]
    private let limits: [String: Int64]

    init(spec: ProtocolSpec) {
        schemas = Dictionary(spec.schemas.map { ($0.name, $0.fields) }, uniquingKeysWith: { first, _ in first })
        messages = Dictionary(spec.messages.filter { $0.direction != .client }.map { ($0.name, $0.fields) }, uniquingKeysWith: { first, _ in first })
        limits = Dictionary(spec.limits.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The bounds a server message (by its `type`) breaks.
    func message(_ json: JSON) -> [String] {
        guard let type = json["type"]?.string, let fields = messages[type] else { return [] }
        return check(json, fields: fields, path: type)
    }

    /// The bounds a value of schema `name` breaks.
    func value(_ json: JSON, schema name: String) -> [String] {
        schemas[name].map { check(json, fields: $0, path: name) } ?? []
    }

    private func check(_ json: JSON, fields: [Field], path: String) -> [String] {
        var found: [String] = []
        for field in fields {
            guard let value = json[field.name], value != .null else { continue }
            let place = "\(path).\(field.name)"
            found += bounds(value, field.constraints, place)
            found += nested(value, field.type, place)
        }
        return found
    }

    private func nested(_ value: JSON, _ type: TypeRef, _ place: String) -> [String] {
        switch (type, value) {
        case (.named(let name), .object):
            return schemas[name].map { check(value, fields: $0, path: place) } ?? []
        case (.array(let item), .array(let elements)):
            return elements.enumerated().flatMap { index, element in nested(element, item, "\(place)[\(index)]") }
        default:
            return []
        }
    }

    private func bounds(_ value: JSON, _ constraints: Constraints, _ place: String) -> [String] {
        let measured: Int64? = switch value {
        case .string(let text): Int64(text.unicodeScalars.count)
        case .array(let elements): Int64(elements.count)
        default: value.integer
        }
        guard let measured else { return [] }
        var found: [String] = []
        let checks: [(Bound?, Bool, String)] = switch value {
        case .string: [(constraints.minLength, true, "length"), (constraints.maxLength, false, "length")]
        case .array: [(constraints.minItems, true, "count"), (constraints.maxItems, false, "count")]
        default: [(constraints.minimum, true, "value"), (constraints.maximum, false, "value")]
        }
        for (bound, isMinimum, what) in checks {
            guard let bound, let limit = resolve(bound) else { continue }
            if isMinimum ? measured < limit : measured > limit {
                found.append("schema: \(place) \(what) \(measured) is \(isMinimum ? "below" : "above") \(bound) (\(limit))")
            }
        }
        return found
    }

    private func resolve(_ bound: Bound) -> Int64? {
        switch bound {
        case .literal(let value): value
        case .limit(let name): limits[name]
        }
    }
}
