import Foundation
import SyncSpec

/// Paths of the repository and its fixtures, found from this file's location.
enum Paths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let spec = repositoryRoot.appendingPathComponent("Spec").path
    static let miniSpec = testsDirectory.appendingPathComponent("Fixtures/MiniSpec").path
    static let miniSpecGolden = testsDirectory.appendingPathComponent("Fixtures/MiniSpecGolden").path
    static let generated = repositoryRoot.appendingPathComponent("Sources/SyncProtocol/Generated").path
}

/// The mini fixture spec's files, with paths relative to the fixture folder so diagnostics are short.
func miniSpecFiles() throws -> [SpecFile] {
    try SpecLoader.files(in: Paths.miniSpec).map { file in
        SpecFile(path: URL(fileURLWithPath: file.path).lastPathComponent, contents: file.contents)
    }
}

/// The mini spec with `old` replaced by `new` in `file` (which must contain `old` exactly once).
func miniSpec(editing file: String, replacing old: String, with new: String) throws -> [SpecFile] {
    try miniSpecFiles().map { spec in
        guard spec.path == file else { return spec }
        let parts = spec.contents.components(separatedBy: old)
        precondition(parts.count == 2, "'\(old)' must occur exactly once in \(file)")
        return SpecFile(path: spec.path, contents: parts.joined(separator: new))
    }
}

/// The 1-based number of the line of `file` that holds the `occurrence`-th (from 0) `text`.
func line(of text: String, in file: String, files: [SpecFile], occurrence: Int = 0) -> Int? {
    guard let spec = files.first(where: { $0.path == file }) else { return nil }
    let matches = spec.contents.components(separatedBy: "\n").enumerated().filter { $0.element.contains(text) }
    return matches.indices.contains(occurrence) ? matches[occurrence].offset + 1 : nil
}

/// Loads a spec that must be valid.
func loadValid(_ files: [SpecFile]) throws -> ProtocolSpec {
    let result = SpecLinter.lint(files: files)
    guard result.diagnostics.filter({ $0.severity == .error }).isEmpty, let spec = result.spec else {
        throw FixtureError(diagnostics: result.diagnostics)
    }
    return spec
}

struct FixtureError: Error, CustomStringConvertible {
    var diagnostics: [Diagnostic]
    var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
