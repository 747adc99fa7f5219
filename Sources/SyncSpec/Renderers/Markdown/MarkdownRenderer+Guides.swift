/// Guides and the authentication section, which come before the reference sections.
extension MarkdownRenderer {
    func guides() -> [String] {
        var blocks: [String] = []
        for guide in spec.guides {
            blocks.append(anchor("guide-\(guide.name)") + "\n## \(guide.title)")
            blocks += versionNotes(guide.info)
            blocks.append(guide.info.description)
            for section in guide.sections {
                blocks += ["### \(section.title)", section.text]
                if !section.refs.isEmpty {
                    blocks.append("See: " + section.refs.map(refLink).joined(separator: ", "))
                }
            }
        }
        return blocks
    }

    func authentication() -> [String] {
        guard !spec.authentication.isEmpty else { return [] }
        return [anchor("authentication") + "\n## Authentication", spec.authentication]
    }
}
