import Testing
import SyncSpec

@Suite("JSON Schema of spec types")
struct JSONSchemaBuilderTests {
    /// The fixture's `Mutation.seq` with another type and constraints.
    private static func field(_ type: TypeRef, _ constraints: Constraints = Constraints()) throws -> Field {
        let spec = try ExportTestSupport.load(ExportTestSupport.fixtureSpec)
        var field = try #require(spec.schema(named: "Mutation")?.fields.first)
        field.type = type
        field.constraints = constraints
        return field
    }

    private static func builder() throws -> JSONSchemaBuilder {
        JSONSchemaBuilder(spec: try ExportTestSupport.load(ExportTestSupport.fixtureSpec), refPrefix: "#/x/")
    }

    private static let typeCases: [(TypeRef, String)] = [
        (.string, #"{"type":"string"}"#),
        (.int, #"{"type":"integer","format":"int64"}"#),
        (.number, #"{"type":"number"}"#),
        (.bool, #"{"type":"boolean"}"#),
        (.object, #"{"type":"object"}"#),
        (.any, "{}"),
        (.named("Mutation"), ##"{"$ref":"#/x/Mutation"}"##),
        (.array(.named("Mutation")), ##"{"type":"array","items":{"$ref":"#/x/Mutation"}}"##),
        (.map(.int), #"{"type":"object","additionalProperties":{"type":"integer","format":"int64"}}"#),
    ]

    @Test("each spec type maps to its JSON Schema", arguments: typeCases)
    func types(type: TypeRef, expected: String) throws {
        #expect(compact(try Self.builder().schema(for: type)) == expected)
    }

    @Test("bounds naming a limit resolve to the limit's value")
    func limitBounds() throws {
        var constraints = Constraints()
        constraints.minLength = .literal(1)
        constraints.maxLength = .limit("max_id_length")
        let schema = try Self.builder().valueSchema(try Self.field(.string, constraints))
        #expect(compact(schema) == #"{"type":"string","minLength":1,"maxLength":64}"#)
    }

    @Test("string constraints reach the elements; counts stay on the array or map")
    func containers() throws {
        var constraints = Constraints()
        constraints.maxLength = .literal(32)
        constraints.format = .uuid
        constraints.maxItems = .limit("max_mutations_per_push")
        let builder = try Self.builder()
        #expect(compact(builder.valueSchema(try Self.field(.array(.string), constraints)))
            == #"{"type":"array","items":{"type":"string","maxLength":32,"format":"uuid"},"maxItems":100}"#)
        #expect(compact(builder.valueSchema(try Self.field(.map(.string), constraints)))
            == #"{"type":"object","additionalProperties":{"type":"string","maxLength":32,"format":"uuid"},"maxProperties":100}"#)
    }

    private static let formatCases: [(StringFormat, TypeRef, String)] = [
        (.unixMs, .int, #"{"type":"integer","format":"int64","x-format":"unix_ms"}"#),
        (.sha256Hex, .string, #"{"type":"string","pattern":"^[0-9a-f]{64}$","x-format":"sha256_hex"}"#),
        (.uri, .string, #"{"type":"string","format":"uri"}"#),
    ]

    @Test("spec formats without a JSON Schema equivalent stay visible", arguments: formatCases)
    func formats(format: StringFormat, type: TypeRef, expected: String) throws {
        var constraints = Constraints()
        constraints.format = format
        #expect(compact(try Self.builder().valueSchema(try Self.field(type, constraints))) == expected)
    }

    @Test("a message's schema requires the type constant; references are followed transitively")
    func messagePayload() throws {
        let builder = try Self.builder()
        let push = try #require(builder.spec.message(named: "push"))
        let payload = builder.payload(push)
        #expect(payload["required"] == ["type", "request_id", "idempotency_key", "mutations"])
        guard case .object(let properties)? = payload["properties"], case .object(let type)? = properties["type"] else {
            Issue.record("no properties.type")
            return
        }
        #expect(type["const"] == "push")
        #expect(builder.referencedNames(from: push.fields) == ["Mutation", "MutationOp", "ConflictStrategy"])
    }

    private func compact(_ object: OrderedJSON.Object) -> String {
        OrderedJSON.object(object).compactPrinted
    }
}
