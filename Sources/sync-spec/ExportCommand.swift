import ArgumentParser
import Foundation
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
        let result = SpecLoader.load(directory: spec)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        let errorCount = result.diagnostics.filter { $0.severity == .error }.count
        guard let loaded = result.spec, errorCount == 0 else {
            printError("refusing to export: the spec in \(spec) has \(max(errorCount, 1)) error(s)")
            throw ExitCode.failure
        }
        let files = SpecExporter.render(loaded)
        let folder = OutputFolder(directory: output, ownedExtensions: [".json", ".md"])
        if check {
            let drift = try folder.check(files)
            guard drift.isEmpty else {
                for item in drift { printError("\(output)/\(item.path): \(item.kind.rawValue)") }
                printError("\(output) is stale (\(drift.count) file(s)); run '\(exportCommandLine)' and commit the result")
                throw ExitCode.failure
            }
            print("\(output) is up to date (\(files.count) files)")
        } else {
            let drift = try folder.write(files)
            for item in drift { print("\(item.kind == .extra ? "removed" : "wrote") \(output)/\(item.path)") }
            print("\(output): \(drift.count) of \(files.count) file(s) updated")
        }
    }

    /// The command that regenerates the folder, with the options given to this run.
    private var exportCommandLine: String {
        var line = "swift run sync-spec export"
        if spec != "Spec" { line += " --spec \(spec)" }
        if output != "docs/spec" { line += " --output \(output)" }
        return line
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
