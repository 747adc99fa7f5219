import ArgumentParser
import Foundation
import SyncConformance
import SyncSpec

/// `sync-conformance derive`: writes (or checks) the boundary vectors derived from the spec.
struct DeriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Write the boundary vectors derived from the spec into Vectors/derived/ (or check them with --check).",
        discussion: """
            Every constrained field of the requests a client sends (push and pull on the \
            WebSocket, pushBatch, pullChanges, the operator lists and initUpload over REST) gets \
            two vectors per bound: the value at the bound is accepted, the value one step beyond \
            is refused (with batch_too_large or record_too_large where LIM-2 says so, otherwise \
            invalid_message), and a refused push applies nothing. Values come from Spec/, so \
            run this after changing a limit or a constraint; --check exits 1 when the committed \
            vectors differ from what the spec derives. Fields that cannot be isolated are listed \
            with the reason.
            """
    )

    @Option(help: "Folder of the spec.")
    var spec = "Spec"

    @Option(help: "Folder the derived vectors go in.")
    var out = "Vectors/derived"

    @Flag(help: "Only compare: exit 1 when the folder differs from what the spec derives.")
    var check = false

    func run() throws {
        let loaded = SpecLoader.load(directory: spec)
        guard let protocolSpec = loaded.spec else {
            for diagnostic in loaded.diagnostics { printError(diagnostic.description) }
            throw ExitCode(2)
        }
        let (vectors, skipped) = BoundaryDeriver.derive(protocolSpec)
        let folder = DerivedVectorFolder(path: out)
        for (what, why) in skipped { printNow("not derived: \(what): \(why)") }
        if check {
            let drift = folder.drift(from: vectors)
            for line in drift { printError(line) }
            guard drift.isEmpty else {
                printError("\(drift.count) derived vector file(s) out of date: run 'swift run sync-conformance derive' and commit")
                throw ExitCode(1)
            }
            printNow("\(vectors.count) derived vectors are current")
            return
        }
        do {
            try folder.write(vectors)
        } catch {
            printError("cannot write \(out): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        printNow("\(vectors.count) derived vectors written to \(out)/limits/")
    }
}
