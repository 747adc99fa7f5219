/// The breaking changes the spec made without a new major version, newest first, so an
/// implementer upgrading across them reads what changed and why.
extension MarkdownRenderer {
    func acceptedBreaks() -> [String] {
        guard !spec.acceptedBreaks.isEmpty else { return [] }
        let rows = spec.acceptedBreaks.sorted { ($1.version, $0.change) < ($0.version, $1.change) }.map { entry in
            [entry.version.description, "`\(entry.change)`", cell(entry.reason)]
        }
        return [
            anchor("accepted-breaks") + "\n## Accepted breaking changes",
            "Changes `sync-spec diff` classifies as breaking that were made without a new major version, "
                + "each with the reason it was accepted (`accepted_breaks` in the spec).",
            Self.table(["Version", "Change", "Why it was accepted"], rows),
        ]
    }
}
