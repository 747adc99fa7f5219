/// The spec differ: compares two versions of the spec and classifies every difference by what
/// it does to peers built from the old one.
///
/// The rules follow the wire. Generated codecs reject unknown enum values, unknown message types
/// and missing required fields, and ignore unknown fields; new messages are only sent to peers
/// that negotiated the version that added them. So a change breaks when an old client's frame
/// is now refused by the server, or a new server's frame can no longer be decoded by an old
/// client (or an old peer relies on something that is gone).
public enum SpecDiffer {
    /// Every change from `old` to `new`, sorted worst first.
    public static func diff(old: ProtocolSpec, new: ProtocolSpec) -> SpecDiff {
        var collector = ChangeCollector(old: old, new: new)
        collector.compareProtocol()
        collector.compareLimits()
        collector.compareErrors()
        collector.compareCloseCodes()
        collector.compareRequirements()
        collector.compareEnums()
        collector.compareSchemas()
        collector.compareMessages()
        collector.compareEndpoints()
        collector.compareGuides()
        collector.compareMonitoring()
        // A breaking change the new spec accepts for a version in (old, new] is still listed,
        // with the entry that accepts it.
        let changes = collector.changes.map { change in
            var change = change
            if change.severity == .breaking {
                change.accepted = new.acceptedBreaks.first { $0.change == change.path && $0.covers(from: old.version, to: new.version) }
            }
            return change
        }
        return SpecDiff(oldVersion: old.version, newVersion: new.version, changes: changes)
    }
}

/// Accumulates the changes while the differ walks both specs.
struct ChangeCollector {
    let old: ProtocolSpec
    let new: ProtocolSpec
    /// Who sends each type in the old spec: what old peers decode.
    let oldUsage: TypeUsage
    private(set) var changes: [SpecChange] = []

    init(old: ProtocolSpec, new: ProtocolSpec) {
        self.old = old
        self.new = new
        self.oldUsage = TypeUsage(old)
    }

    mutating func report(_ severity: SpecChange.Severity, _ path: String, _ message: String, at location: SourceLocation?) {
        changes.append(SpecChange(severity, path: path, message: message, location: location))
    }

    /// Reports `what` changing from `before` to `after`, when it did; `show` writes a value.
    mutating func compare<Value: Equatable>(
        _ before: Value, _ after: Value, _ severity: SpecChange.Severity, _ path: String, _ what: String,
        at location: SourceLocation?, because reason: String? = nil, show: (Value) -> String = { "\($0)" }
    ) {
        guard before != after else { return }
        let reason = reason.map { ": \($0)" } ?? ""
        report(severity, path, "\(what) changed from \(show(before)) to \(show(after))\(reason)", at: location)
    }

    /// Writes text in quotes, for messages.
    static func quoted(_ text: String) -> String { "'\(text)'" }

    /// Writes a list of names as `[a, b]`, for messages.
    static func list(_ names: [String]) -> String { "[\(names.joined(separator: ", "))]" }

    /// Reports a definition the new spec no longer has.
    mutating func reportRemoved(_ path: String, _ what: String, because reason: String) {
        report(.breaking, path, "\(what) was removed: \(reason)", at: nil)
    }

    /// Reports a definition only the new spec has, noting a `since` that does not mark it as new.
    mutating func reportAdded(_ path: String, _ what: String, _ info: DefinitionInfo,
                              _ severity: SpecChange.Severity = .compatible, because reason: String? = nil) {
        var message = "new \(what)" + (reason.map { ": \($0)" } ?? "")
        if info.since <= old.version {
            message += " (since \(info.since) is not later than the old version \(old.version): set since to the version that adds it)"
        }
        report(severity, path, message, at: info.location)
    }

    /// Compares what every definition carries: description, deprecation, since.
    mutating func compareInfo(_ before: DefinitionInfo, _ after: DefinitionInfo, _ path: String, _ what: String,
                              descriptionKey: String = "description") {
        if before.description != after.description {
            report(.cosmetic, path, "\(descriptionKey) of \(what) changed", at: after.location)
        }
        switch (before.deprecated, after.deprecated) {
        case (nil, let note?):
            report(.compatible, path, "\(what) is now deprecated: \(note)", at: after.location)
        case (_?, nil):
            report(.compatible, path, "\(what) is no longer deprecated", at: after.location)
        case (let was?, let now?) where was != now:
            report(.cosmetic, path, "deprecation note of \(what) changed to: \(now)", at: after.location)
        default:
            break
        }
        compare(before.since, after.since, .cosmetic, path, "since of \(what)", at: after.location)
    }

    /// Reports when the definitions both specs share appear in another order.
    mutating func compareOrder(_ before: [String], _ after: [String], _ path: String, _ what: String, at location: SourceLocation?) {
        let shared = Set(before).intersection(after)
        if before.filter(shared.contains) != after.filter(shared.contains) {
            report(.cosmetic, path, "\(what) reordered", at: location)
        }
    }
}

/// The elements of two lists paired up by key: only in the old list, only in the new, in both.
struct Matched<Element> {
    var removed: [Element] = []
    var added: [Element] = []
    var kept: [(old: Element, new: Element)] = []

    init(_ old: [Element], _ new: [Element], key: (Element) -> String) {
        let newKeys = Set(new.map(key))
        var oldByKey: [String: Element] = [:]
        for element in old {
            oldByKey[key(element)] = element
            if !newKeys.contains(key(element)) { removed.append(element) }
        }
        for element in new {
            if let before = oldByKey[key(element)] {
                kept.append((before, element))
            } else {
                added.append(element)
            }
        }
    }
}
