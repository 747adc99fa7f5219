import Foundation

/// Which vectors a run considers: `--filter` patterns (any must match, when given) and `--skip`
/// patterns (none may match). A pattern matches a vector's id (glob with `*` and `?`), its
/// category, or one of its requirement ids.
public struct Selection: Sendable, Equatable {
    /// Patterns of which at least one must match (empty: everything).
    public var filters: [String]
    /// Patterns of which none may match.
    public var skips: [String]

    /// Creates a selection.
    public init(filters: [String] = [], skips: [String] = []) {
        self.filters = filters
        self.skips = skips
    }

    /// Why the vector is left out, or `nil` when it is selected.
    public func exclusion(of vector: Vector) -> String? {
        if !filters.isEmpty, !filters.contains(where: { Self.matches($0, vector) }) { return "filtered out (--filter)" }
        if let skip = skips.first(where: { Self.matches($0, vector) }) { return "skipped by --skip \(skip)" }
        return nil
    }

    static func matches(_ pattern: String, _ vector: Vector) -> Bool {
        glob(pattern, vector.id) || pattern == vector.category || vector.requirements.contains { glob(pattern, $0.value) }
    }

    /// Shell-style glob: `*` any run, `?` one character; everything else literal.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
