import Foundation
import Testing
import SyncSpec

/// Checks the exported documents with third-party validators run through the tests' Python
/// (`PythonTools`, pinned versions in `.build/python-tools`): `openapi-spec-validator` for
/// OpenAPI, `jsonschema` (draft 2020-12) for the JSON Schemas, and a structural check with
/// `jsonschema` for AsyncAPI, which has no Python validator.
@Suite("Exported documents pass third-party validators")
struct ExportValidationTests {
    @Test("the OpenAPI document passes openapi-spec-validator", arguments: ExportTestSupport.specDirectories)
    func openAPI(directory: String) throws {
        let folder = try ExportTestSupport.export(SpecExporter.render(try ExportTestSupport.load(directory)))
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ExportTestSupport.python(["-m", "openapi_spec_validator", folder.appendingPathComponent("openapi.json").path])
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
    }

    @Test("the AsyncAPI document's references, schemas and operations hold together", arguments: ExportTestSupport.specDirectories)
    func asyncAPI(directory: String) throws {
        let folder = try ExportTestSupport.export(SpecExporter.render(try ExportTestSupport.load(directory)))
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ExportTestSupport.python([ExportTestSupport.checkAsyncAPIScript, folder.appendingPathComponent("asyncapi.json").path])
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
    }

    @Test("every example of every message and schema matches its exported JSON Schema", arguments: ExportTestSupport.specDirectories)
    func examples(directory: String) throws {
        let spec = try ExportTestSupport.load(directory)
        var cases: [InstanceCase] = []
        for message in spec.messages {
            for (index, example) in message.examples.enumerated() {
                cases.append(InstanceCase("message \(message.name) example \(index + 1)",
                                          JSONSchemaRenderer.messagePath(message.name), OrderedJSON(example)))
            }
        }
        for schema in spec.schemas {
            for (index, example) in schema.examples.enumerated() {
                cases.append(InstanceCase("schema \(schema.name) example \(index + 1)",
                                          JSONSchemaRenderer.schemaPath(schema.name), OrderedJSON(example)))
            }
        }
        // The problem documents the OpenAPI document shows for each error code.
        if spec.schema(named: ProblemExample.schemaName) != nil {
            for error in spec.errors {
                cases.append(InstanceCase("problem example for \(error.code)", JSONSchemaRenderer.schemaPath(ProblemExample.schemaName),
                                          .object(ProblemExample.value(for: error, in: spec))))
            }
        }
        let results = try validate(cases, spec: spec)
        for result in results where !result.valid {
            Issue.record("\(result.label) does not match its schema: \(result.errors.joined(separator: "; "))")
        }
        #expect(results.count == cases.count)
    }

    @Test("the validator rejects frames of the wrong type, and values breaking limit-named bounds and formats")
    func invalidInstances() throws {
        let spec = try ExportTestSupport.load(ExportTestSupport.fixtureSpec)
        let push = JSONSchemaRenderer.messagePath("push")
        let mutation = JSONSchemaRenderer.schemaPath("Mutation")
        let cases = [
            InstanceCase("push frame with another type", push,
                         ["type": "pong", "request_id": "r1", "idempotency_key": "k", "mutations": [["seq": 1, "record_id": "a", "op": "delete"]]]),
            InstanceCase("push without mutations", push, ["type": "push", "request_id": "r1", "idempotency_key": "k", "mutations": []]),
            InstanceCase("mutation with an unknown op", mutation, ["seq": 1, "record_id": "a", "op": "merge"]),
            InstanceCase("record id longer than max_id_length", mutation,
                         ["seq": 1, "record_id": .string(String(repeating: "a", count: 65)), "op": "delete"]),
            InstanceCase("blob id that is not a UUID", JSONSchemaRenderer.schemaPath("BlobInfo"),
                         ["id": "not-a-uuid", "sha256": .string(String(repeating: "0", count: 64))]),
        ]
        let results = try validate(cases, spec: spec)
        #expect(results.count == cases.count)
        for result in results {
            #expect(!result.valid, "\(result.label) was accepted")
        }
    }

    /// One instance to check against one exported schema.
    struct InstanceCase {
        var label: String
        var schemaPath: String
        var instance: OrderedJSON

        init(_ label: String, _ schemaPath: String, _ instance: OrderedJSON) {
            self.label = label
            self.schemaPath = schemaPath
            self.instance = instance
        }
    }

    /// What the script found for one case.
    struct InstanceResult: Decodable {
        var label: String
        var valid: Bool
        var errors: [String]
    }

    /// Exports `spec`, then checks every case with `Scripts/validate_instances.py`.
    private func validate(_ cases: [InstanceCase], spec: ProtocolSpec) throws -> [InstanceResult] {
        let folder = try ExportTestSupport.export(SpecExporter.render(spec))
        defer { try? FileManager.default.removeItem(at: folder) }
        let input: OrderedJSON = .array(cases.map { item in
            ["label": .string(item.label), "schema": .string(folder.appendingPathComponent(item.schemaPath).path), "instance": item.instance]
        })
        let casesFile = folder.appendingPathComponent("cases.txt")
        try input.prettyPrinted.write(to: casesFile, atomically: true, encoding: .utf8)
        let result = try ExportTestSupport.python([ExportTestSupport.validateScript, casesFile.path])
        try #require(result.status == 0, "validate_instances.py failed: \(result.errorOutput)")
        return try JSONDecoder().decode([InstanceResult].self, from: Data(result.output.utf8))
    }
}
