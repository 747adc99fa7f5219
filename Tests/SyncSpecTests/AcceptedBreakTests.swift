import SyncSpec
import Testing

/// `accepted_breaks:`: a breaking change written down with its reason is reported as accepted
/// and does not demand a new major version; anything else still does.
@Suite struct AcceptedBreakTests {
    static let base = DiffFixture.base
    /// Removing an enum value breaks old peers.
    static func broken(version: String) throws -> DiffFixture {
        try base.removing("      update: {description: Updates a record.}").version(version)
    }

    static func accepting(_ path: String, in version: String, reason: String = "Nobody could send it.") -> String {
        "accepted_breaks:\n  - {change: \(path), version: \(version), reason: \(reason)}\n"
    }

    @Test func anAcceptedBreakNeedsNoNewMajorVersion() throws {
        let new = try DiffFixture(yaml: Self.broken(version: "1.1.0").yaml + Self.accepting("enums.Operation.values.update", in: "1.1.0"))
        let diff = try DiffFixture.diff(to: new)
        let change = try #require(diff.changes(.breaking).first)
        #expect(change.accepted?.version.description == "1.1.0" && change.accepted?.reason == "Nobody could send it.")
        #expect(diff.hasBreaking && diff.unacceptedBreaking.isEmpty && !diff.requiresMajorBump)
        #expect(diff.verdict.contains("each accepted in accepted_breaks"))
        #expect(diff.renderedText.contains("    accepted in 1.1.0: Nobody could send it."))
        #expect(diff.renderedJSON.contains("\"accepted_breaking\" : 1") && diff.renderedJSON.contains("\"reason\" : \"Nobody could send it.\""))
    }

    @Test func anEntryCoversOnlyItsPathAndAVersionInsideTheDiff() throws {
        for (path, version) in [("enums.Operation.values.create", "1.1.0"), ("enums.Operation.values.update", "1.0.0"),
                                ("enums.Operation.values.update", "0.9.0")] {
            let new = try DiffFixture(yaml: Self.broken(version: "1.1.0").yaml + Self.accepting(path, in: version))
            let diff = try DiffFixture.diff(to: new)
            #expect(diff.requiresMajorBump, "\(path) in \(version)")
            #expect(diff.changes(.breaking).allSatisfy { $0.accepted == nil })
        }
        // An entry for 1.1.0 does not excuse the same break between 1.1.0 and 1.2.0.
        let old = try DiffFixture(yaml: Self.base.version("1.1.0").yaml + Self.accepting("enums.Operation.values.update", in: "1.1.0"))
        let new = try DiffFixture(yaml: Self.broken(version: "1.2.0").yaml + Self.accepting("enums.Operation.values.update", in: "1.1.0"))
        #expect(try DiffFixture.diff(old, new).requiresMajorBump)
    }

    @Test func theLinterChecksEveryEntry() throws {
        let cases: [(String, String)] = [
            (Self.accepting("enums.Operation.values.update", in: "1.2.0"), "later than the spec version 1.1.0"),
            (Self.accepting("things.Operation", in: "1.1.0"), "is not a change path"),
            (Self.accepting("enums..update", in: "1.1.0"), "is not a change path"),
            (Self.accepting("enums.Operation.values.update", in: "one"), "must be a version like 1.3.0"),
            ("accepted_breaks:\n  - {change: enums.Operation.values.update, version: 1.1.0, reason: \" \"}\n", "must say why"),
            ("accepted_breaks:\n  - {change: enums.Operation.values.update, version: 1.1.0}\n", "reason"),
            ("accepted_breaks:\n  - {change: enums.Operation.values.update, version: 1.1.0, reason: a}\n"
                + "  - {change: enums.Operation.values.update, version: 1.1.0, reason: b}\n", "is listed twice"),
            ("accepted_breaks: {a: 1}\n", "'accepted_breaks' must be a list"),
        ]
        for (yaml, message) in cases {
            let files = [SpecFile(path: "fixture.yaml", contents: try Self.broken(version: "1.1.0").yaml + yaml)]
            let diagnostics = SpecLinter.lint(files: files).diagnostics
            #expect(diagnostics.contains { $0.severity == .error && $0.message.contains(message) }, "\(message): \(diagnostics)")
        }
    }
}
