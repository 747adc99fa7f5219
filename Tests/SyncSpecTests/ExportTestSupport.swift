import Foundation
import SyncSpec
import SyncTestSupport

/// Paths, spec loading, temporary folders and subprocesses for the exporter tests.
enum ExportTestSupport {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The small complete spec the exporter tests are written against.
    static let fixtureSpec = packageRoot.appendingPathComponent("Tests/SyncSpecTests/Fixtures/ExportSpec").path

    /// The committed export of `fixtureSpec`, compared byte for byte.
    static let fixtureGolden = packageRoot.appendingPathComponent("Tests/SyncSpecTests/Fixtures/ExportGolden").path

    /// The script that validates instances with the Python `jsonschema` package.
    static let validateScript = packageRoot.appendingPathComponent("Tests/SyncSpecTests/Scripts/validate_instances.py").path

    /// The script that checks the AsyncAPI document's references, schemas and operations.
    static let checkAsyncAPIScript = packageRoot.appendingPathComponent("Tests/SyncSpecTests/Scripts/check_asyncapi.py").path

    /// The fixture, plus the real spec in `Spec/` when it has YAML files.
    static var specDirectories: [String] {
        let real = packageRoot.appendingPathComponent("Spec").path
        let hasRealSpec = ((try? SpecLoader.files(in: real)) ?? []).isEmpty == false
        return hasRealSpec ? [fixtureSpec, real] : [fixtureSpec]
    }

    /// A spec failed to load; its diagnostics, one per line.
    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads the spec in `directory`, failing on any error diagnostic.
    static func load(_ directory: String) throws -> ProtocolSpec {
        let result = SpecLoader.load(directory: directory)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard let spec = result.spec, errors.isEmpty else {
            throw LoadFailure(description: errors.map(\.description).joined(separator: "\n"))
        }
        return spec
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sync-spec-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `files` into a new temporary folder and returns it.
    static func export(_ files: [GeneratedFile]) throws -> URL {
        let directory = try temporaryDirectory()
        try OutputFolder(directory: directory.path, ownedExtensions: [".json", ".md"]).write(files)
        return directory
    }

    /// What a finished subprocess printed and how it ended.
    struct ProcessResult {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// Runs the tests' Python (`PythonTools`) with `arguments` and waits for it.
    static func python(_ arguments: [String]) throws -> ProcessResult {
        let errorFile = try temporaryDirectory().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        let process = Process()
        process.executableURL = try PythonTools.interpreterBlocking()
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        // Read to the end before waiting, so that a large output cannot block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), errorOutput: errors)
    }
}
