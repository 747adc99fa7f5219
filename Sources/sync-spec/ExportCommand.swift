import ArgumentParser
import SyncSpec

/// `sync-spec export`: writes the protocol documents generated from the spec, or checks that
/// the committed ones are current.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the OpenAPI, AsyncAPI, JSON Schema and Markdown documents of the spec.",
        discussion: """
            Reads every *.yaml file in the spec folder and writes into the output folder:
              openapi.json           OpenAPI 3.1: the REST endpoints
              asyncapi.json          AsyncAPI 3.0: the WebSocket session
              schemas/*.schema.json  JSON Schema 2020-12: one per schema and enum, and
                                     one per message under schemas/messages/
              reference.md           Markdown reference for implementers

            The output is deterministic and marked "do not edit": change the spec, then run \
            'swift run sync-spec export' and commit the result. Files in the output folder ending \
            in .json or .md that the spec no longer produces are removed.

            With --check nothing is written: the command exits 1 and names every file that is \
            missing, changed or extra if the folder is not what the spec produces, and 0 if it is \
            (run it in CI). Either way the command refuses to export a spec with errors and prints \
            them as file:line:column: error: message.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The folder holding the spec's YAML files.", valueName: "folder"))
    var spec = "Spec"

    @Option(name: .long, help: ArgumentHelp("The folder to write the documents into.", valueName: "folder"))
    var output = "docs/spec"

    @Flag(name: .long, help: "Write nothing; exit 1 if the output folder is not what the spec produces.")
    var check = false

    func run() throws {
        let loaded = try loadValidSpec(spec)
        let folder = OutputFolder(directory: output, ownedExtensions: [".json", ".md"])
        try report(folder, files: SpecExporter.render(loaded), check: check, command: "export")
    }
}
