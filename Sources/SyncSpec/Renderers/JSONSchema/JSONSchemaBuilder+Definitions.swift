/// Schemas of the spec's named definitions and WebSocket messages.
extension JSONSchemaBuilder {
    /// The schema of a named object type.
    package func definition(_ schema: SchemaDefinition) -> OrderedJSON.Object {
        var result: OrderedJSON.Object = ["title": .string(schema.name), "description": .text(Self.describe(schema.info))]
        result.merge(objectSchema(schema.fields))
        result.merge(annotations(schema.info))
        result["examples"] = schema.examples.isEmpty ? nil : .array(schema.examples.map(OrderedJSON.init))
        return result
    }

    /// The schema of an enum: a string with a fixed set of values, each value's meaning kept in
    /// `x-enum-descriptions`.
    package func definition(_ enumeration: EnumDefinition) -> OrderedJSON.Object {
        var meanings = OrderedJSON.Object()
        for value in enumeration.values { meanings[value.name] = .string(Self.describe(value.info)) }
        var result: OrderedJSON.Object = [
            "title": .string(enumeration.name), "description": .text(Self.describe(enumeration.info)),
            "type": "string", "enum": .strings(enumeration.values.map(\.name)),
            "x-enum-descriptions": .nonEmpty(meanings),
        ]
        result.merge(annotations(enumeration.info))
        return result
    }

    /// The schema of a whole frame of `message`: its fields plus the required `type`
    /// discriminator, a constant.
    package func payload(_ message: MessageDefinition) -> OrderedJSON.Object {
        let discriminator: OrderedJSON.Object = [
            "type": "string", "const": .string(message.name),
            "description": .string("The message type; always `\(message.name)` for this message."),
        ]
        var properties: OrderedJSON.Object = ["type": .object(discriminator)]
        var object = objectSchema(message.fields)
        if case .object(let fields)? = object["properties"] { properties.merge(fields) }
        object["properties"] = .object(properties)
        object["required"] = .strings(["type"] + message.fields.filter(\.required).map(\.name))
        let description = [message.summary, Self.describe(message.info)].filter { !$0.isEmpty }.joined(separator: "\n\n")
        var result: OrderedJSON.Object = ["title": .string(message.name), "description": .text(description)]
        result.merge(object)
        result.merge(annotations(message.info))
        result["examples"] = message.examples.isEmpty ? nil : .array(message.examples.map(OrderedJSON.init))
        return result
    }

    /// Every named schema and enum, in spec order (enums first), as `name: schema` members.
    package func definitions() -> OrderedJSON.Object {
        definitions(named: Set(namedTypes))
    }

    /// The named schemas and enums in `names`, in spec order, as `name: schema` members.
    package func definitions(named names: Set<String>) -> OrderedJSON.Object {
        var result = OrderedJSON.Object()
        for name in namedTypes where names.contains(name) {
            if let schema = spec.schema(named: name) {
                result[name] = .object(definition(schema))
            } else if let enumeration = spec.enumeration(named: name) {
                result[name] = .object(definition(enumeration))
            }
        }
        return result
    }

    /// The names of the schemas and enums `fields` refer to, directly or through other schemas.
    package func referencedNames(from fields: [Field]) -> Set<String> {
        var found = Set<String>()
        var pending = fields.flatMap(\.type.referencedNames)
        while let name = pending.popLast() {
            guard found.insert(name).inserted else { continue }
            pending += spec.schema(named: name)?.fields.flatMap(\.type.referencedNames) ?? []
        }
        return found
    }

    /// Every enum and schema name, in spec order, enums first.
    private var namedTypes: [String] {
        spec.enums.map(\.name) + spec.schemas.map(\.name)
    }
}
