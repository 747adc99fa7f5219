import Foundation

/// One file a renderer produces, relative to its output folder.
public struct GeneratedFile: Sendable, Hashable {
    /// Path relative to the output folder, with `/` separators.
    public var path: String
    /// The full text.
    public var contents: String

    /// Creates a generated file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// Writes a renderer's files into a folder, or checks that the folder already holds exactly them.
public struct OutputFolder: Sendable {
    /// The folder.
    public var directory: String
    /// Which existing files count as generated output (and are removed or reported when stale).
    public var ownedExtensions: [String]

    /// Creates a writer for `directory`, owning files that end with one of `ownedExtensions`.
    public init(directory: String, ownedExtensions: [String]) {
        self.directory = directory
        self.ownedExtensions = ownedExtensions
    }

    /// A file whose committed content differs from what the spec generates.
    public struct Drift: Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the file.
        public enum Kind: String, Sendable, Hashable {
            /// The file should exist and does not.
            case missing
            /// The file differs from the generated text.
            case changed
            /// The file exists but the spec no longer generates it.
            case extra
        }

        /// Path relative to the output folder.
        public var path: String
        /// What is wrong.
        public var kind: Kind

        /// Creates a drift entry.
        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }

        public var description: String { "\(path) (\(kind.rawValue))" }
    }

    /// Compares the folder with `files` without writing anything.
    public func check(_ files: [GeneratedFile]) throws -> [Drift] {
        var drift: [Drift] = []
        for file in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                drift.append(Drift(path: file.path, kind: .missing))
                continue
            }
            if data != Data(file.contents.utf8) { drift.append(Drift(path: file.path, kind: .changed)) }
        }
        let expected = Set(files.map(\.path))
        for path in try existingOwnedFiles() where !expected.contains(path) {
            drift.append(Drift(path: path, kind: .extra))
        }
        return drift.sorted { $0.path < $1.path }
    }

    /// Writes `files`, removes owned files the spec no longer generates, and returns what changed.
    @discardableResult
    public func write(_ files: [GeneratedFile]) throws -> [Drift] {
        let drift = try check(files)
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for item in drift {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(item.path)
            if item.kind == .extra {
                try FileManager.default.removeItem(at: url)
            } else if let file = byPath[item.path] {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            }
        }
        return drift
    }

    /// Owned files under the folder, relative paths, recursively.
    private func existingOwnedFiles() throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            if ownedExtensions.contains(where: { path.hasSuffix($0) }) { paths.append(path) }
        }
        return paths
    }
}
