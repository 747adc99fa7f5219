import ArgumentParser
import SyncConformance

/// `sync-conformance lint`: checks vectors without running them.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every vector against the format (schema and semantic rules).",
        discussion: "Prints file:line:column: error: message per problem; exits 0 when clean, 2 otherwise."
    )

    @OptionGroup var suite: SuiteOptions

    func run() throws {
        let loaded = try suite.loadSuite()
        print("\(loaded.vectors.count) vectors OK")
    }
}
