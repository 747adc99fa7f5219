import Foundation

/// `accepted_breaks:`, the breaking changes made without a new major version, with reasons.
extension SpecBuilder {
    mutating func readAcceptedBreak(_ node: YAMLNode) {
        let what = "an accepted break"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        defer { map.rejectUnknownKeys(in: what) }
        let change = map.string("change", required: true, in: what) ?? ""
        let reason = map.string("reason", required: true, in: what) ?? ""
        guard let versionText = map.string("version", required: true, in: what) else { return }
        guard let version = SemanticVersion(versionText) else {
            sink.error(map.value("version")?.location, "'version' of \(what) must be a version like 1.3.0, found '\(versionText)'")
            return
        }
        if change.isEmpty { sink.error(map.value("change")?.location ?? map.location, "'change' of \(what) must name the change's path") }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            sink.error(map.value("reason")?.location ?? map.location, "'reason' of the accepted break '\(change)' must say why it is accepted")
        }
        if let earlier = acceptedBreaks.first(where: { $0.change == change && $0.version == version }) {
            sink.error(map.location, "the accepted break '\(change)' in \(version) is listed twice (first at \(earlier.location))")
            return
        }
        acceptedBreaks.append(AcceptedBreak(change: change, version: version, reason: reason, location: map.location))
    }
}
