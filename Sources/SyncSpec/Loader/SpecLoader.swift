import Crypto
import Foundation
import Yams

/// What loading a spec produced: the model when the files could be read, and every problem found.
public struct LoadResult: Sendable {
    /// The model; `nil` when the files are too broken to build one.
    public var spec: ProtocolSpec?
    /// Every problem found while reading.
    public var diagnostics: [Diagnostic]
}

/// One spec file's path and text.
public struct SpecFile: Sendable, Hashable {
    /// The path reported in diagnostics.
    public var path: String
    /// The YAML text.
    public var contents: String

    /// Creates a spec file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// The first pipeline stage: reads `Spec/*.yaml` into a `ProtocolSpec`, reporting structural
/// problems (bad YAML, unknown or missing keys, malformed types, duplicate names) with their place.
public enum SpecLoader {
    /// The top-level sections a spec file may hold.
    static let sections = ["protocol", "limits", "errors", "close_codes", "requirements", "enums", "schemas", "messages", "endpoints", "guides", "accepted_breaks", "metrics", "alerts"]

    /// Reads every `*.yaml` file directly inside `directory`, in name order.
    public static func files(in directory: String) throws -> [SpecFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        return try names.map { name in
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            return SpecFile(path: path, contents: try String(contentsOfFile: path, encoding: .utf8))
        }
    }

    /// Loads the spec in `directory`.
    public static func load(directory: String) -> LoadResult {
        do {
            let files = try files(in: directory)
            if files.isEmpty {
                return LoadResult(spec: nil, diagnostics: [Diagnostic(at: nil, "no *.yaml files in \(directory)")])
            }
            return load(files: files)
        } catch {
            return LoadResult(spec: nil, diagnostics: [Diagnostic(at: nil, "cannot read \(directory): \(error.localizedDescription)")])
        }
    }

    /// Loads a spec from files already in memory.
    public static func load(files: [SpecFile]) -> LoadResult {
        let sink = DiagnosticSink()
        var builder = SpecBuilder(sink: sink)
        for file in files {
            guard let root = compose(file, sink: sink) else { continue }
            guard let map = YAMLMap(root, what: "a spec file", sink: sink) else { continue }
            for section in sections {
                guard let node = map.value(section) else { continue }
                builder.read(section: section, node)
            }
            for entry in map.entries where !sections.contains(entry.key) {
                sink.error(entry.keyNode.location, "unknown section '\(entry.key)' (expected one of \(sections.joined(separator: ", ")))")
            }
        }
        let spec = builder.build(hash: hash(files))
        return LoadResult(spec: spec, diagnostics: sink.diagnostics)
    }

    /// SHA-256 over every file's name and bytes, in name order: the stamp on generated output.
    public static func hash(_ files: [SpecFile]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { $0.path < $1.path }) {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            hasher.update(data: Data(name.utf8 + [0] + file.contents.utf8 + [0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private static func compose(_ file: SpecFile, sink: DiagnosticSink) -> YAMLNode? {
        do {
            guard let node = try Yams.compose(yaml: file.contents) else {
                sink.error(SourceLocation(file: file.path, line: 1, column: 1), "the file is empty")
                return nil
            }
            return YAMLNode(node: node, file: file.path)
        } catch let error as YamlError {
            sink.error(yamlErrorLocation(error, file: file.path), "invalid YAML: \(yamlErrorProblem(error))")
        } catch {
            sink.error(SourceLocation(file: file.path, line: 1, column: 1), "invalid YAML: \(error)")
        }
        return nil
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

    private static func yamlErrorProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, _):
            "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping (this is the first; a later one repeats it)"
        default:
            "\(error)"
        }
    }
}
