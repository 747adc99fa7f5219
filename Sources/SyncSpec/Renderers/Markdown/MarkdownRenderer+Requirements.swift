/// Requirements, grouped by the area prefix of their ids.
extension MarkdownRenderer {
    func requirements() -> [String] {
        var blocks = [
            anchor("requirements") + "\n## Requirements",
            "Numbered rules; MUST, SHOULD and MAY are used as in RFC 2119. Grouped by the area in the id.",
        ]
        var areas: [String] = []
        for requirement in spec.requirements where !areas.contains(area(requirement)) {
            areas.append(area(requirement))
        }
        for area in areas {
            blocks.append("### \(area)")
            for requirement in spec.requirements where self.area(requirement) == area {
                blocks += self.requirement(requirement)
            }
        }
        return blocks
    }

    private func requirement(_ requirement: Requirement) -> [String] {
        var facts = ["**\(requirement.level.rawValue)**"]
        if requirement.appliesTo != [.server] {
            facts.append("Applies to: " + requirement.appliesTo.map { $0.rawValue + "s" }.joined(separator: ", "))
        }
        if !requirement.errors.isEmpty {
            facts.append("Errors: " + requirement.errors.map(errorLink).joined(separator: ", "))
        }
        if !requirement.refs.isEmpty {
            facts.append("Refs: " + requirement.refs.map(refLink).joined(separator: ", "))
        }
        var blocks = [anchor("req-\(requirement.id)") + "\n#### \(requirement.id): \(requirement.title)", facts.joined(separator: " · ")]
        blocks += versionNotes(requirement.info)
        blocks.append(requirement.text)
        return blocks
    }

    /// `IDEM` for `IDEM-3`.
    private func area(_ requirement: Requirement) -> String {
        String(requirement.id.prefix { $0 != "-" })
    }
}
