import ArgumentParser
import Foundation
import SyncConformance

/// Where the vectors and the spec are.
struct SuiteOptions: ParsableArguments {
    @Option(help: "Folder of vectors (searched recursively for *.yaml).")
    var vectors = "Vectors"

    @Option(help: "Folder of the spec (Spec/*.yaml), for requirement ids and coverage.")
    var spec = "Spec"

    @Option(help: "The JSON Schema of the vector format.")
    var schema = "Conformance/vector.schema.json"

    /// Loads and checks the suite; prints diagnostics and exits 2 when it has errors.
    func loadSuite() throws -> VectorSuite {
        let suite: VectorSuite
        do {
            suite = try VectorSuite.load(vectors: vectors, spec: spec, schema: schema)
        } catch {
            printError("cannot read vectors in \(vectors): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        for diagnostic in suite.diagnostics { printError(diagnostic.description) }
        if suite.hasErrors {
            printError("\(suite.diagnostics.filter { $0.severity == .error }.count) error(s) in the vectors")
            throw ExitCode(2)
        }
        return suite
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Splits repeated and comma-separated option values.
func splitList(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Writes a line to standard output at once (unbuffered), so progress shows live in CI logs.
func printNow(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
