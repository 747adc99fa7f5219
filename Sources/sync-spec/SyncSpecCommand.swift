import ArgumentParser

/// `sync-spec`: lint the protocol spec, generate the Swift codecs, export documents, diff versions.
@main
struct SyncSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-spec",
        abstract: "Work with the MobileSync protocol spec (the YAML files in Spec/).",
        discussion: """
            Run from the repository root. The spec in Spec/ is the single source of truth: \
            'lint' checks it, 'generate' writes the Swift codecs into Sources/SyncProtocol/Generated/, \
            'export' writes OpenAPI, AsyncAPI, JSON Schema and Markdown into docs/spec/, and 'diff' \
            tells which changes between two versions of the spec break old clients.
            """,
        subcommands: [LintCommand.self, GenerateCommand.self, ExportCommand.self, DiffCommand.self]
    )
}
