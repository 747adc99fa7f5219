import ArgumentParser
import SyncSpec

/// `sync-spec lint`: validates the spec and reports every problem with its place.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check the spec and report every problem as file:line:column: message.",
        discussion: """
            Reads every *.yaml file in SPEC (default: Spec) and checks the format described in \
            Spec/README.md: unknown or missing keys, unknown types, duplicate names, codes or \
            requirement ids, references that do not resolve, constraints that do not fit their \
            type, requirements without a level, and examples that fail their own schema.
            Exits 0 when the spec is valid, 1 when it has errors.
            """
    )

    @Argument(help: "The spec folder.")
    var spec = "Spec"

    func run() throws {
        let result = SpecLinter.lint(directory: spec)
        for diagnostic in result.diagnostics { print(diagnostic) }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        guard errors == 0, let loaded = result.spec else {
            print("\(errors) error(s) in \(spec)")
            throw ExitCode(1)
        }
        print("\(spec): \(loaded.name) \(loaded.version) is valid: \(loaded.messages.count) messages, \(loaded.schemas.count) schemas, \(loaded.enums.count) enums, \(loaded.endpoints.count) endpoints, \(loaded.errors.count) error codes, \(loaded.closeCodes.count) close codes, \(loaded.limits.count) limits, \(loaded.requirements.count) requirements, \(loaded.guides.count) \(loaded.guides.count == 1 ? "guide" : "guides"), \(loaded.metrics.count) metrics, \(loaded.alerts.count) alerts")
    }
}

/// Loads and lints a spec for a command that needs a valid one; prints diagnostics and exits 1 otherwise.
func loadValidSpec(_ directory: String) throws -> ProtocolSpec {
    let result = SpecLinter.lint(directory: directory)
    let errors = result.diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty, let spec = result.spec else {
        for diagnostic in errors { print(diagnostic) }
        print("the spec in \(directory) has \(errors.count) error(s); run 'sync-spec lint' for details")
        throw ExitCode(1)
    }
    return spec
}
