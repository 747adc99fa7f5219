import ArgumentParser
import SyncSpec

/// `sync-spec generate`: writes the Swift codecs, or checks that the committed ones are current.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the Swift wire types into Sources/SyncProtocol/Generated/.",
        discussion: """
            Renders one Swift file per schema, enum and message, plus the frame envelopes, the \
            error registry, the limits and the endpoint catalog. Output is deterministic and each \
            file names the spec's SHA-256. With --check nothing is written: the command exits 1 \
            and lists the stale files when the committed output differs from what the spec \
            generates (run it in CI; after editing the spec, run without --check and commit).
            """
    )

    @Option(help: "The spec folder.")
    var spec = "Spec"

    @Option(help: "Where the generated Swift files go.")
    var output = "Sources/SyncProtocol/Generated"

    @Flag(help: "Write nothing; exit 1 if the committed files differ from the spec's output.")
    var check = false

    func run() throws {
        let loaded = try loadValidSpec(spec)
        let files = SwiftRenderer.render(loaded)
        try report(OutputFolder(directory: output, ownedExtensions: [".swift"]), files: files, check: check, command: "generate")
    }
}

/// Writes or checks a renderer's files, printing what changed; exits 1 on drift in check mode.
func report(_ folder: OutputFolder, files: [GeneratedFile], check: Bool, command: String) throws {
    if check {
        let drift = try folder.check(files)
        guard drift.isEmpty else {
            print("\(folder.directory) is stale; run 'swift run sync-spec \(command)' and commit the result:")
            for item in drift { print("  \(item)") }
            throw ExitCode(1)
        }
        print("\(folder.directory) is up to date (\(files.count) files)")
    } else {
        let changed = try folder.write(files)
        for item in changed { print("  \(item)") }
        print("wrote \(folder.directory): \(files.count) files, \(changed.count) changed")
    }
}
