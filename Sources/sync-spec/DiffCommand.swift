import ArgumentParser
import Foundation
import SyncSpec

/// `sync-spec diff OLD NEW`: which changes between two versions of the spec break old clients.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Tell which changes between two versions of the spec break old clients.",
        discussion: """
            Compares two versions of the spec and sorts every change into three groups:

            BREAKING: peers built from the old spec fail against the new one. For
            example a removed message or field, a changed type, a new required field
            in what clients send, a tighter limit or constraint on what clients send,
            or a new enum value in what the server sends (old clients cannot decode
            it). These need a new major version.

            COMPATIBLE: old peers keep working. For example new optional fields, new
            messages and endpoints, looser limits, deprecations. These need a new
            minor version.

            COSMETIC: only text for people changed: descriptions, titles, examples,
            order.

            OLD and NEW are spec folders (such as Spec), or git:REF for the Spec
            folder of this repository at a git revision (git:REF:FOLDER for another
            folder). To check what you are about to commit, from the repository root:

              swift run sync-spec diff git:HEAD Spec

            Exit codes:
              0  no breaking changes, or breaking changes and a higher major version
              1  breaking changes, but protocol.version kept its major version
              2  a spec could not be read or has errors, printed as
                 file:line:column: error: message
            """
    )

    @Argument(help: ArgumentHelp("The old spec: a folder, git:REF or git:REF:FOLDER.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The new spec, in the same forms.", valueName: "new"))
    var new: String

    @Option(help: "text: grouped for people; json: one object with every change, for tools.")
    var format: DiffFormat = .text

    func run() throws {
        let outcome = DiffRun.run(old: SpecSource(argument: old), new: SpecSource(argument: new), format: format,
                                  git: { try Git.run($0) })
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        FileHandle.standardError.write(Data(outcome.errors.utf8))
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension DiffFormat: ExpressibleByArgument {}
