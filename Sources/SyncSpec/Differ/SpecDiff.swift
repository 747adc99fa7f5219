/// Every change between two versions of the spec, worst first, and what they mean for the version.
public struct SpecDiff: Sendable, Hashable {
    /// `protocol.version` of the old spec.
    public var oldVersion: SemanticVersion
    /// `protocol.version` of the new spec.
    public var newVersion: SemanticVersion
    /// The changes, sorted by severity (breaking first), then by path.
    public var changes: [SpecChange]

    /// Creates a diff; sorts `changes` by severity, then path.
    public init(oldVersion: SemanticVersion, newVersion: SemanticVersion, changes: [SpecChange]) {
        self.oldVersion = oldVersion
        self.newVersion = newVersion
        self.changes = changes.sorted {
            ($0.severity, $0.path, $0.message) < ($1.severity, $1.path, $1.message)
        }
    }

    /// Whether any change breaks peers built from the old spec.
    public var hasBreaking: Bool { changes.contains { $0.severity == .breaking } }

    /// The breaking changes the new spec does not accept in `accepted_breaks`.
    public var unacceptedBreaking: [SpecChange] { changes.filter { $0.severity == .breaking && $0.accepted == nil } }

    /// Whether the new spec must raise its major version: it breaks old peers in a way it does
    /// not accept, but keeps the old major (or lowers it). `sync-spec diff` exits 1 exactly when
    /// this is true.
    public var requiresMajorBump: Bool { !unacceptedBreaking.isEmpty && newVersion.major <= oldVersion.major }

    /// The changes of one severity, in order.
    public func changes(_ severity: SpecChange.Severity) -> [SpecChange] {
        changes.filter { $0.severity == severity }
    }

    /// One sentence on what the changes mean for the version number.
    public var verdict: String {
        let versions = "\(oldVersion) -> \(newVersion)"
        if changes.isEmpty { return "No changes." }
        if requiresMajorBump {
            return "Breaking changes without a new major version (\(versions)): old clients fail against the new spec. "
                + "Make the changes compatible, accept each in accepted_breaks with its reason, "
                + "or raise protocol.version to \(oldVersion.major + 1).0.0."
        }
        if hasBreaking, newVersion.major <= oldVersion.major {
            let count = changes(.breaking).count
            return "\(count) breaking change\(count == 1 ? "" : "s") without a new major version, each accepted in accepted_breaks "
                + "with its reason (\(versions)); read them before upgrading."
        }
        if hasBreaking {
            return "Breaking changes, and the major version went up (\(versions)): old clients must upgrade or negotiate the old version."
        }
        if newVersion <= oldVersion {
            return "No breaking changes; protocol.version did not go up (\(versions)): raise the minor or patch version."
        }
        return "No breaking changes (\(versions))."
    }
}
