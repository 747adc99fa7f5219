/// Guides: walkthroughs for implementers.
extension SpecBuilder {
    mutating func readGuide(_ name: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "guide '\(name)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let title = map.string("title", required: true, in: what) ?? ""
        let info = info(map, in: what, at: keyLocation)
        var sections: [Guide.Section] = []
        if let node = map.value("sections") {
            if let items = node.sequence {
                sections = items.enumerated().compactMap { readGuideSection($1, number: $0 + 1, of: what) }
                if items.isEmpty { sink.error(node.location, "'sections' of \(what) must not be empty") }
            } else {
                sink.error(node.location, "'sections' of \(what) must be a list")
            }
        } else {
            sink.error(map.location, "\(what) has no 'sections'")
        }
        map.rejectUnknownKeys(in: what)
        guides.append(Guide(name: name, title: title, sections: sections, info: info))
    }

    private func readGuideSection(_ node: YAMLNode, number: Int, of guide: String) -> Guide.Section? {
        let what = "section \(number) of \(guide)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        let title = map.string("title", required: true, in: what) ?? ""
        let text = map.string("text", required: true, in: what) ?? ""
        let refs = map.strings("refs", in: what).map(\.0)
        map.rejectUnknownKeys(in: what)
        return Guide.Section(title: title, text: text, refs: refs, location: map.location)
    }
}
