/// One difference between two versions of the spec, judged from the wire: does it break peers
/// built from the old version?
public struct SpecChange: Sendable, Hashable, CustomStringConvertible {
    /// How a change affects peers built from the old spec. Ordered from worst to mildest.
    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Old clients (or old servers) fail against the new spec: needs a major version.
        case breaking
        /// Old peers keep working; new peers may do more.
        case compatible
        /// Only text for people changed (descriptions, titles, examples, order).
        case cosmetic

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .breaking: 0
            case .compatible: 1
            case .cosmetic: 2
            }
        }
    }

    /// How bad it is.
    public var severity: Severity
    /// A stable dotted path to what changed, such as `messages.push.fields.mutations` or
    /// `endpoints.pushBatch.responses.200`.
    public var path: String
    /// One line for people: what changed and, when it breaks, whom.
    public var message: String
    /// Where the change is in the new spec; `nil` when the element no longer exists there.
    public var location: SourceLocation?
    /// For a breaking change, the new spec's `accepted_breaks` entry that accepts it.
    public var accepted: AcceptedBreak?

    /// Creates a change.
    public init(_ severity: Severity, path: String, message: String, location: SourceLocation? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.location = location
    }

    /// `severity: path: message`.
    public var description: String {
        "\(severity.rawValue): \(path): \(message)" + (accepted.map { " (accepted in \($0.version))" } ?? "")
    }
}
