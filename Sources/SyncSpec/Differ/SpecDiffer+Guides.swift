/// Guides: text for people, so every change to them is cosmetic.
extension ChangeCollector {
    mutating func compareGuides() {
        let matched = Matched(old.guides, new.guides, key: \.name)
        for guide in matched.removed {
            report(.cosmetic, "guides.\(guide.name)", "guide '\(guide.name)' was removed", at: nil)
        }
        for guide in matched.added {
            report(.cosmetic, "guides.\(guide.name)", "new guide '\(guide.name)' (\(guide.title))", at: guide.info.location)
        }
        for (was, now) in matched.kept {
            let path = "guides.\(now.name)"
            let what = "guide '\(now.name)'"
            compare(was.title, now.title, .cosmetic, "\(path).title", "title of \(what)", at: now.info.location, show: Self.quoted)
            if Self.content(of: was) != Self.content(of: now) {
                report(.cosmetic, "\(path).sections", "sections of \(what) changed", at: now.info.location)
            }
            compareInfo(was.info, now.info, path, what)
        }
    }

    /// Each section's title, text and refs: what readers see, not where it is written.
    private static func content(of guide: Guide) -> [[String]] {
        guide.sections.map { [$0.title, $0.text] + $0.refs }
    }
}
