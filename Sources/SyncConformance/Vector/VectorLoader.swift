import Foundation
public import SyncSpec
import Yams

/// What loading a folder of vectors produced: the vectors that could be read and every problem found.
public struct VectorLoadResult: Sendable {
    /// Vectors in id order.
    public var vectors: [Vector]
    /// Problems, each with file:line:column.
    public var diagnostics: [Diagnostic]
}

/// Reads vector files (YAML) into `Vector`s, reporting structural problems with their place.
public enum VectorLoader {
    /// Every `*.yaml` file under `directory` (recursively), sorted by path; `README`s are not vectors.
    public static func files(in directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: directory])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: directory])
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return enumerator.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map { base + $0 }
    }

    /// Loads every vector under `directory`.
    public static func load(directory: String) throws -> VectorLoadResult {
        let paths = try files(in: directory)
        var vectors: [Vector] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (vector, problems) = load(text: text, file: path)
            diagnostics += problems
            if let vector { vectors.append(vector) }
        }
        return VectorLoadResult(vectors: vectors.sorted { $0.id < $1.id }, diagnostics: diagnostics)
    }

    /// Loads one vector from its text; `nil` when it is too broken to run.
    public static func load(text: String, file: String) -> (Vector?, [Diagnostic]) {
        let sink = DiagnosticSink()
        let root: YAMLNode
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return (nil, [Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "the file is empty")])
            }
            root = YAMLNode(node: node, file: file)
        } catch let error as YamlError {
            return (nil, [Diagnostic(at: yamlErrorLocation(error, file: file), "invalid YAML: \(error)")])
        } catch {
            return (nil, [Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")])
        }
        let vector = VectorReader(sink: sink, file: file).vector(root)
        return (sink.hasErrors ? nil : vector, sink.diagnostics)
    }

    private static func yamlErrorLocation(_ error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
        default:
            SourceLocation(file: file, line: 1, column: 1)
        }
    }
}
