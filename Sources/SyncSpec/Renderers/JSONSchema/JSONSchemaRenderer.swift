/// Renders one standalone JSON Schema (draft 2020-12) per WebSocket message and per named
/// schema or enum, for validators that check single frames or bodies.
///
/// Each file is self-contained: `$defs` holds exactly the schemas and enums it reaches, and
/// references point there (`#/$defs/Name`). `$id` is
/// `https://<protocol name>.dev/spec/<version>/<path>`: a stable identifier that changes with
/// the spec version, not a promise that the URL can be fetched.
package enum JSONSchemaRenderer {
    /// The dialect every file declares.
    static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The files, paths relative to the export folder: `schemas/messages/<type>.schema.json`
    /// and `schemas/<Name>.schema.json`.
    package static func render(_ spec: ProtocolSpec) -> [GeneratedFile] {
        let builder = JSONSchemaBuilder(spec: spec, refPrefix: "#/$defs/")
        var files: [GeneratedFile] = []
        for message in spec.messages {
            let path = messagePath(message.name)
            let defs = builder.referencedNames(from: message.fields)
            files.append(file(path, builder.payload(message), defs: defs, builder: builder))
        }
        for enumeration in spec.enums {
            files.append(file(schemaPath(enumeration.name), builder.definition(enumeration), defs: [], builder: builder))
        }
        for schema in spec.schemas {
            let defs = builder.referencedNames(from: schema.fields)
            files.append(file(schemaPath(schema.name), builder.definition(schema), defs: defs, builder: builder))
        }
        return files
    }

    /// Where the schema of the message with this `type` goes.
    package static func messagePath(_ type: String) -> String { "schemas/messages/\(type).schema.json" }

    /// Where the schema of the named schema or enum goes.
    package static func schemaPath(_ name: String) -> String { "schemas/\(name).schema.json" }

    /// The `$id` of the file at `path`.
    package static func id(of path: String, in spec: ProtocolSpec) -> String {
        "https://\(spec.name).dev/spec/\(spec.version)/\(path)"
    }

    private static func file(_ path: String, _ schema: OrderedJSON.Object, defs: Set<String>, builder: JSONSchemaBuilder) -> GeneratedFile {
        var document: OrderedJSON.Object = [
            "$schema": .string(dialect),
            "$id": .string(id(of: path, in: builder.spec)),
            "$comment": .string(GeneratedNote.text(for: builder.spec)),
        ]
        document.merge(schema)
        document["$defs"] = .nonEmpty(builder.definitions(named: defs))
        return GeneratedFile(path: path, contents: OrderedJSON.object(document).prettyPrinted)
    }
}
