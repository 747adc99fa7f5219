/// A breaking change the spec's designers decided to make without a new major version, written
/// down with its reason (like SwiftPM's API breakage allowlist): `sync-spec diff` still lists it
/// under BREAKING, marked accepted, and does not ask for a major version because of it.
public struct AcceptedBreak: Sendable, Hashable {
    /// The differ's dotted path of the change, such as
    /// `endpoints.downloadFile.responses.200.headers.Content-Disposition.max_length`.
    public var change: String
    /// The spec version that made the change; the entry covers diffs across that version only.
    public var version: SemanticVersion
    /// Why no peer that worked before can be broken by it, or why breaking it is right (Markdown).
    public var reason: String
    /// Where the entry is written.
    public var location: SourceLocation

    /// Whether the entry covers a change between `old` (exclusive) and `new` (inclusive).
    public func covers(from old: SemanticVersion, to new: SemanticVersion) -> Bool {
        old < version && version <= new
    }
}
