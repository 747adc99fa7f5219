import Foundation
import SyncSpec
import Testing

/// `sync-spec diff` as the command runs it: sources, exit codes, output formats.
@Suite struct DiffRunTests {
    let base = DiffFixture.base

    /// A fresh folder holding one spec per named subfolder; removed when the test ends.
    final class Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)").path

        func write(_ fixture: DiffFixture, to folder: String) throws -> String {
            let path = "\(root)/\(folder)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try fixture.yaml.write(toFile: "\(path)/spec.yaml", atomically: true, encoding: .utf8)
            return path
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    func run(_ old: DiffFixture, _ new: DiffFixture, format: DiffFormat = .text) throws -> DiffOutcome {
        let workspace = Workspace()
        let oldPath = try workspace.write(old, to: "old")
        let newPath = try workspace.write(new, to: "new")
        return DiffRun.run(old: .directory(oldPath), new: .directory(newPath), format: format,
                           git: { _ in
                               Issue.record("folders are read without git")
                               return ""
                           })
    }

    @Test func exitsZeroWithoutBreakingChanges() throws {
        let outcome = try run(base, base.replacing("summary: Answer to ping.", with: "summary: Pong."))
        #expect(outcome.exitCode == 0)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.output.contains("BREAKING (0)\n\nCOMPATIBLE (0)\n\nCOSMETIC (1)\n  messages.pong.summary: "))
    }

    @Test func exitsOneOnBreakingChangesWithinTheMajorVersion() throws {
        let broken = try base.removing("      update: {description: Updates a record.}")
        let outcome = try run(base, broken.version("1.1.0"))
        #expect(outcome.exitCode == 1)
        #expect(outcome.output.contains("BREAKING (1)\n  enums.Operation.values.update: value 'update' was removed"))
        #expect(outcome.output.contains("raise protocol.version to 2.0.0"))
        let bumped = try run(base, broken.version("2.0.0"))
        #expect(bumped.exitCode == 0)
        #expect(bumped.output.contains("the major version went up"))
    }

    @Test func exitsTwoOnAnInvalidSpec() throws {
        let broken = try base.replacing("    direction: client\n", with: "    direction: sideways\n")
        let outcome = try run(base, broken)
        #expect(outcome.exitCode == DiffRun.badInput)
        #expect(outcome.output.isEmpty)
        #expect(outcome.errors.contains("/new/spec.yaml:77:16: error: 'direction' of message 'push' must be client, server or both"))
        let missing = DiffRun.run(old: .directory("/nonexistent/spec"), new: .directory("/nonexistent/spec"), format: .text,
                                  git: { _ in "" })
        #expect(missing.exitCode == DiffRun.badInput)
    }

    @Test func jsonListsEveryChange() throws {
        let outcome = try run(base, base.removing("      update: {description: Updates a record.}"), format: .json)
        let object = try #require(JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        #expect(object["requires_major_bump"] as? Bool == true)
        #expect(object["old_version"] as? String == "1.0.0")
        #expect(object["breaking"] as? Int == 1)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["path"] as? String == "enums.Operation.values.update")
        #expect(changes.first?["severity"] as? String == "breaking")
    }

    @Test func parsesSourceArguments() {
        #expect(SpecSource(argument: "Spec") == .directory("Spec"))
        #expect(SpecSource(argument: "git:HEAD") == .git(ref: "HEAD", folder: "Spec"))
        #expect(SpecSource(argument: "git:v1.0.0:specs/old/") == .git(ref: "v1.0.0", folder: "specs/old"))
        #expect(SpecSource(argument: "git:main~2:") == .git(ref: "main~2", folder: "."))
    }

    @Test func readsTheSpecAtAGitRevision() throws {
        let workspace = Workspace()
        let spec = try workspace.write(base, to: "Spec")
        try "not a spec".write(toFile: "\(spec)/notes.txt", atomically: true, encoding: .utf8)
        let git = { (arguments: [String]) in try Git.run(arguments, in: workspace.root) }
        _ = try git(["init", "-q"])
        _ = try git(["add", "Spec"])
        _ = try git(["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "Base spec"])
        try base.removing("      update: {description: Updates a record.}").yaml
            .write(toFile: "\(spec)/spec.yaml", atomically: true, encoding: .utf8)

        let loaded = SpecSource(argument: "git:HEAD").load(git: git)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.spec?.enumeration(named: "Operation")?.values.count == 2)
        let outcome = DiffRun.run(old: SpecSource(argument: "git:HEAD"), new: .directory(spec), format: .text, git: git)
        #expect(outcome.exitCode == 1)
        #expect(outcome.output.hasPrefix("Comparing git:HEAD:Spec (old) with \(spec) (new)\n"))
        let unknown = DiffRun.run(old: SpecSource(argument: "git:no-such-ref"), new: .directory(spec), format: .text, git: git)
        #expect(unknown.exitCode == DiffRun.badInput)
        #expect(unknown.errors.hasPrefix("error: cannot read git:no-such-ref:Spec: "))
    }
}
