/// Guides.
extension LintContext {
    /// Versions, and every section's refs resolve.
    func checkGuides() {
        for guide in spec.guides {
            let what = "guide '\(guide.name)'"
            checkSince(guide.info, what)
            for (index, section) in guide.sections.enumerated() {
                for ref in section.refs where !resolves(ref) {
                    sink.error(section.location, "section \(index + 1) of \(what) refers to '\(ref)', which does not exist \(Self.refKinds)")
                }
            }
        }
    }
}
