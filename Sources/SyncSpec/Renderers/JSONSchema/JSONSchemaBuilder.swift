/// Turns the spec's types, fields and definitions into JSON Schema. The one place that maps the
/// spec's type system, shared by the OpenAPI, AsyncAPI and JSON Schema documents so that all of
/// them describe a value the same way.
///
/// The output uses keywords that mean the same in JSON Schema 2020-12 (OpenAPI 3.1, the
/// standalone schemas) and draft-07 (AsyncAPI 3.0's default schema format). Objects leave
/// `additionalProperties` unset because receivers ignore unknown fields. Spec formats without a
/// JSON Schema equivalent are kept as `x-format`, and `max_bytes` as `x-max-bytes`.
package struct JSONSchemaBuilder: Sendable {
    /// The spec whose limits resolve named bounds and whose definitions are referenced.
    package let spec: ProtocolSpec
    /// What a reference to a named schema or enum starts with, such as `#/components/schemas/`.
    package let refPrefix: String

    /// Creates a builder whose references to named types start with `refPrefix`.
    package init(spec: ProtocolSpec, refPrefix: String) {
        self.spec = spec
        self.refPrefix = refPrefix
    }

    /// The pattern `sha256_hex` stands for: 64 lowercase hexadecimal digits.
    static let sha256HexPattern = "^[0-9a-f]{64}$"

    /// The schema of a bare type, without constraints.
    package func schema(for type: TypeRef) -> OrderedJSON.Object {
        switch type {
        case .string: ["type": "string"]
        case .int: ["type": "integer", "format": "int64"]
        case .number: ["type": "number"]
        case .bool: ["type": "boolean"]
        case .object: ["type": "object"]
        case .any: [:]
        case .named(let name): ["$ref": .string(refPrefix + name)]
        case .array(let element): ["type": "array", "items": .object(schema(for: element))]
        case .map(let value): ["type": "object", "additionalProperties": .object(schema(for: value))]
        }
    }

    /// The schema a field's value must match: its type and constraints. String and number
    /// constraints apply to the innermost element of arrays and maps (`[string]` with
    /// `max_length` limits each string); item counts apply to the field's own array or map.
    package func valueSchema(_ field: Field) -> OrderedJSON.Object {
        let constraints = field.constraints
        var schema = constrained(field.type, constraints)
        let (minKey, maxKey) = if case .map = field.type { ("minProperties", "maxProperties") } else { ("minItems", "maxItems") }
        schema[minKey] = number(constraints.minItems)
        schema[maxKey] = number(constraints.maxItems)
        schema["x-max-bytes"] = number(constraints.maxBytes)
        return schema
    }

    /// A field as an object property: its value schema with description, version, deprecation
    /// and example.
    package func propertySchema(_ field: Field) -> OrderedJSON.Object {
        var schema = valueSchema(field)
        schema["description"] = .text(Self.describe(field.info))
        schema.merge(annotations(field.info))
        schema["examples"] = field.example.map { [OrderedJSON($0)] }
        return schema
    }

    /// An object schema with these fields as properties; the required ones listed.
    package func objectSchema(_ fields: [Field]) -> OrderedJSON.Object {
        var properties = OrderedJSON.Object()
        for field in fields { properties[field.name] = .object(propertySchema(field)) }
        return ["type": "object", "properties": .object(properties),
                "required": .strings(fields.filter(\.required).map(\.name))]
    }

    /// `deprecated` and `x-since` for a definition, when they apply.
    package func annotations(_ info: DefinitionInfo) -> OrderedJSON.Object {
        ["deprecated": info.deprecated == nil ? nil : true,
         "x-since": info.since == .initial ? nil : .string(info.since.description)]
    }

    /// A description followed by the deprecation note, if any.
    package static func describe(_ info: DefinitionInfo) -> String {
        guard let deprecated = info.deprecated else { return info.description }
        let note = "Deprecated: \(deprecated)"
        return info.description.isEmpty ? note : info.description + "\n\n" + note
    }

    /// A bound's number; `nil` when absent or naming a limit the spec lacks.
    func number(_ bound: Bound?) -> OrderedJSON? {
        bound.flatMap(spec.resolve).map(OrderedJSON.int)
    }

    private func constrained(_ type: TypeRef, _ constraints: Constraints) -> OrderedJSON.Object {
        switch type {
        case .array(let element): ["type": "array", "items": .object(constrained(element, constraints))]
        case .map(let value): ["type": "object", "additionalProperties": .object(constrained(value, constraints))]
        default: scalarConstraints(schema(for: type), constraints)
        }
    }

    private func scalarConstraints(_ base: OrderedJSON.Object, _ constraints: Constraints) -> OrderedJSON.Object {
        var schema = base
        schema["minLength"] = number(constraints.minLength)
        schema["maxLength"] = number(constraints.maxLength)
        schema["pattern"] = .text(constraints.pattern)
        schema["minimum"] = number(constraints.minimum)
        schema["maximum"] = number(constraints.maximum)
        switch constraints.format {
        case .uuid: schema["format"] = "uuid"
        case .uri: schema["format"] = "uri"
        case .unixMs: schema["x-format"] = "unix_ms"
        case .sha256Hex:
            if schema["pattern"] == nil {
                schema["pattern"] = .string(Self.sha256HexPattern)
            } else {
                schema["allOf"] = [["pattern": .string(Self.sha256HexPattern)]]
            }
            schema["x-format"] = "sha256_hex"
        case nil: break
        }
        return schema
    }
}
