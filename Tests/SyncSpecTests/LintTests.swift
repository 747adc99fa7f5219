import SyncSpec
import Testing

@Suite("sync-spec lint")
struct LintTests {
    @Test("the mini fixture and the real spec are valid")
    func validSpecs() throws {
        _ = try loadValid(try miniSpecFiles())
        let real = SpecLinter.lint(directory: Paths.spec)
        #expect(real.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(real.spec != nil)
    }

    /// One seeded error: an edit of the mini spec, and the diagnostic it must produce.
    struct Seed: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var old: String
        var new: String
        /// Text on the line the diagnostic must point to (in the edited file).
        var lineText: String
        var column: Int?
        var message: String
        /// Which occurrence of `lineText` (0 for the first).
        var occurrence = 0
        var testDescription: String { name }
    }

    static let seeds: [Seed] = [
        Seed(name: "unknown type", file: "types.yaml", old: "type: Color", new: "type: Colour",
             lineText: "color:", column: 7, message: "unknown type 'Colour' in field 'color' of schema 'Item'"),
        Seed(name: "malformed type", file: "types.yaml", old: "type: int\n        required: true\n        minimum: 0",
             new: "type: \"[int\"\n        required: true\n        minimum: 0",
             lineText: "type: \"[int\"", column: 15, message: "malformed type '[int'"),
        Seed(name: "duplicate message name in one mapping", file: "wire.yaml", old: "  ping:\n", new: "  submit:\n",
             lineText: "  submit:", column: 3, message: "duplicate key 'submit' in one mapping"),
        Seed(name: "duplicate schema across files", file: "wire.yaml", old: "endpoints:",
             new: "schemas:\n  Item:\n    description: Again.\n\nendpoints:",
             lineText: "  Item:", column: 3, message: "duplicate name 'Item' in schemas (first defined at types.yaml:"),
        Seed(name: "duplicate error code", file: "wire.yaml", old: "endpoints:",
             new: "errors:\n  unauthorized:\n    status: 401\n    retryable: false\n    title: Again\n    description: Again.\n\nendpoints:",
             lineText: "  unauthorized:", column: 3, message: "duplicate name 'unauthorized' in errors"),
        Seed(name: "duplicate requirement id", file: "protocol.yaml", old: "id: MINI-2", new: "id: MINI-1",
             lineText: "- id: MINI-1", column: 9, message: "duplicate name 'MINI-1' in requirements", occurrence: 1),
        Seed(name: "requirement without level", file: "protocol.yaml", old: "    level: SHOULD\n", new: "",
             lineText: "- id: MINI-2", column: 5, message: "requirement 'MINI-2' has no level"),
        Seed(name: "dangling requirement reference", file: "protocol.yaml", old: "message:submit", new: "message:sumbit",
             lineText: "- id: MINI-1", column: 5, message: "refers to 'message:sumbit', which does not exist"),
        Seed(name: "dangling error code", file: "wire.yaml", old: "errors: [invalid_message, unauthorized]",
             new: "errors: [invalid_message, forbidden]",
             lineText: "  submitItems:", column: 3, message: "names unknown error code 'forbidden'"),
        Seed(name: "dangling limit", file: "wire.yaml", old: "max_items: max_items_per_batch", new: "max_items: max_items_per_push",
             lineText: "      items:", column: 7, message: "names unknown limit 'max_items_per_push'"),
        Seed(name: "dangling reply", file: "wire.yaml", old: "replies: [submitted]", new: "replies: [accepted]",
             lineText: "  submit:", column: 3, message: "replies with unknown message 'accepted'"),
        Seed(name: "message example failing its schema", file: "wire.yaml", old: "{id: a, count: 1}", new: "{id: a, count: 101}",
             lineText: "- {type: submit", column: nil, message: "example of message 'submit' fails its schema: items[0].count: greater than 100"),
        Seed(name: "schema example missing a required field", file: "types.yaml", old: "{id: item-1, count: 3,", new: "{id: item-1,",
             lineText: "- {id: item-1", column: 9, message: "example of schema 'Item' fails its schema: count: is required"),
        Seed(name: "example with a wrong enum value", file: "types.yaml", old: "color: light_blue", new: "color: green",
             lineText: "- {id: item-1", column: nil, message: "color: must be one of red, light_blue"),
        Seed(name: "unknown key", file: "types.yaml", old: "        minimum: 0\n", new: "        minimun: 0\n",
             lineText: "minimun: 0", column: 9, message: "unknown key 'minimun' in field 'count' of schema 'Item'"),
        Seed(name: "constraint on the wrong type", file: "types.yaml", old: "        max_items: 8\n", new: "        max_length: 8\n",
             lineText: "      tags:", column: 7, message: "'max_length' does not apply to field 'tags'"),
        Seed(name: "invalid pattern", file: "types.yaml", old: "pattern: \"^[a-z0-9-]+$\"", new: "pattern: \"^[a-z\"",
             lineText: "      id:", column: 7, message: "'pattern' of field 'id' of schema 'Item' is not a valid regular expression"),
        Seed(name: "since later than the spec", file: "types.yaml", old: "since: 1.1.0", new: "since: 2.0.0",
             lineText: "light_blue:", column: 7, message: "has since 2.0.0, later than the spec version 1.2.0"),
        Seed(name: "invalid YAML", file: "wire.yaml", old: "summary: Heartbeat.", new: "summary: [Heartbeat.",
             lineText: "description: Either side", column: nil, message: "invalid YAML"),
        Seed(name: "path placeholder without parameter", file: "wire.yaml", old: "path: /v1/items/{batch_id}", new: "path: /v1/items/{batch}",
             lineText: "  submitItems:", column: 3, message: "has {batch} in its path but no path parameter 'batch'"),
        Seed(name: "retryable code without retry guidance", file: "protocol.yaml", old: "retryable: false\n    close_code: 4401",
             new: "retryable: true\n    close_code: 4401",
             lineText: "  unauthorized:", column: 3, message: "error 'unauthorized' is retryable but has no 'retry' block"),
        Seed(name: "retry guidance on a code that is not retryable", file: "protocol.yaml",
             old: "description: The token is missing or invalid.\n",
             new: "description: The token is missing or invalid.\n    retry: {action: Try again., min_delay_ms: 100}\n",
             lineText: "retry: {action", column: 12, message: "error 'unauthorized' is not retryable, so it must not have a 'retry' block"),
        Seed(name: "retry guidance with an unknown key", file: "protocol.yaml",
             old: "description: The token is missing or invalid.\n",
             new: "description: The token is missing or invalid.\n    retry: {action: Try again., min_delay: 100}\n",
             lineText: "retry: {action", column: nil, message: "unknown key 'min_delay' in 'retry' of error 'unauthorized'"),
        Seed(name: "close code missing from the registry", file: "protocol.yaml", old: "close_code: 4401", new: "close_code: 4402",
             lineText: "  unauthorized:", column: 3, message: "error 'unauthorized' closes with 4402, which is not in the close-code registry"),
        Seed(name: "close code without the error that precedes it", file: "protocol.yaml", old: "error: always", new: "error: never",
             lineText: "  4401:", column: 3, message: "close code 4401 says no error precedes it, but unauthorized close with it"),
        Seed(name: "close code with an error that none sends", file: "protocol.yaml", old: "error: never", new: "error: sometimes",
             lineText: "  1006:", column: 3, message: "close code 1006 says an error precedes it, but no error has close_code 1006"),
        Seed(name: "close code that never reconnects but has a delay", file: "protocol.yaml", old: "reconnect: new_token", new: "reconnect: never",
             lineText: "min_delay_ms: 100", column: 19, message: "close code 4401 has 'min_delay_ms' but 'reconnect: never'"),
        Seed(name: "unknown reconnect rule", file: "protocol.yaml", old: "reconnect: backoff", new: "reconnect: later",
             lineText: "reconnect: later", column: 16, message: "'reconnect' of close code 1006 must be one of backoff, new_token, never, found 'later'"),
        Seed(name: "close code out of range", file: "protocol.yaml", old: "  1006:", new: "  999:",
             lineText: "  999:", column: 3, message: "close code '999' must be a WebSocket close code"),
        Seed(name: "dangling guide reference", file: "protocol.yaml", old: "requirement:MINI-1]", new: "requirement:MINI-9]",
             lineText: "- title: Submit items", column: 9,
             message: "section 1 of guide 'getting_started' refers to 'requirement:MINI-9', which does not exist"),
    ]

    @Test("each kind of seeded error is reported at its place", arguments: seeds)
    func seededError(_ seed: Seed) throws {
        let files = try miniSpec(editing: seed.file, replacing: seed.old, with: seed.new)
        let diagnostics = SpecLinter.lint(files: files).diagnostics
        let expectedLine = try #require(line(of: seed.lineText, in: seed.file, files: files, occurrence: seed.occurrence))
        let match = diagnostics.first { $0.message.contains(seed.message) }
        let found = try #require(match, "no diagnostic containing \"\(seed.message)\"; got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(found.severity == .error)
        #expect(found.location?.file == seed.file)
        #expect(found.location?.line == expectedLine, "\(found)")
        if let column = seed.column { #expect(found.location?.column == column, "\(found)") }
        #expect(found.description.hasPrefix("\(seed.file):\(expectedLine):"))
    }

    @Test("a missing protocol section and an empty folder are reported")
    func missingPieces() throws {
        let files = try miniSpecFiles().filter { $0.path != "protocol.yaml" }
        let diagnostics = SpecLinter.lint(files: files).diagnostics
        #expect(diagnostics.contains { $0.message == "no file defines the 'protocol' section" })
        let empty = SpecLinter.lint(directory: Paths.testsDirectory.appendingPathComponent("Fixtures").path)
        #expect(empty.diagnostics.map(\.message) == ["no *.yaml files in \(Paths.testsDirectory.appendingPathComponent("Fixtures").path)"])
    }
}
