public import Foundation

/// The folder derived vectors live in (`Vectors/derived/`), owned by the deriver: writing
/// replaces its vectors, checking lists every file that differs from what the spec derives.
public struct DerivedVectorFolder: Sendable {
    /// The folder; vectors go in its `limits/` subfolder (the linter wants folder = category).
    public var directory: URL

    /// A folder at `path`.
    public init(path: String) {
        directory = URL(fileURLWithPath: path)
    }

    private var limits: URL { directory.appendingPathComponent("limits") }

    private func existing() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: limits.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Writes `vectors` and removes derived vectors no longer derived.
    public func write(_ vectors: [DerivedVector]) throws {
        try FileManager.default.createDirectory(at: limits, withIntermediateDirectories: true)
        let names = Set(vectors.map { "\($0.id).yaml" })
        for stale in existing() where !names.contains(stale) {
            try FileManager.default.removeItem(at: limits.appendingPathComponent(stale))
        }
        for vector in vectors {
            let url = limits.appendingPathComponent("\(vector.id).yaml")
            if (try? String(contentsOf: url, encoding: .utf8)) != vector.text { try Data(vector.text.utf8).write(to: url) }
        }
    }

    /// One line per file that is missing, stale or different; empty when the folder is current.
    public func drift(from vectors: [DerivedVector]) -> [String] {
        let wanted = Dictionary(vectors.map { ("\($0.id).yaml", $0.text) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        for name in wanted.keys.sorted() {
            let text = try? String(contentsOf: limits.appendingPathComponent(name), encoding: .utf8)
            if text == nil { problems.append("missing: \(name)") } else if text != wanted[name] { problems.append("differs: \(name)") }
        }
        problems += existing().filter { wanted[$0] == nil }.map { "not derived (stale): \($0)" }
        return problems
    }
}
