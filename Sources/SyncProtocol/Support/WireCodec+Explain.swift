import Foundation

extension WireCodec {
    /// Why a frame or body the strict decoder refused cannot be accepted, with every issue (WS-4,
    /// ERR-6): text that is not a JSON object, or whose `type` is missing or not a string, is
    /// `malformed_frame`; an undefined `type` is `unknown_message_type`; anything else is
    /// `invalid_message` listing each value that does not decode and each constraint the rest
    /// breaks, in document order. Runs only on the failure path, so valid frames pay nothing.
    static func explainFailure<T: Decodable & WireValidatable>(of type: T.Type, frame: Data, error strictError: any Error) -> WireError {
        if strictError is UnknownMessageType || strictError is WireError {
            return wireError(from: strictError)
        }
        guard let root = JSONTree.parse(frame) else {
            return WireError(code: .malformedFrame, message: "the frame is not valid JSON")
        }
        guard case .object = root.kind else {
            return WireError(code: .malformedFrame, message: "the frame must be a JSON object")
        }
        let log = LenientDecodingLog()
        let decoded: T
        do {
            decoded = try T(from: LenientDecoder(root: root, log: log))
        } catch {
            // An undefined `type`, or a message decoded as another's: the lenient pass names it
            // even where the strict decoder stopped earlier, at a number it could not read.
            return log.typeIssue ?? wireError(from: error, frame: frame)
        }
        if let typeIssue = log.typeIssue { return typeIssue }
        // Nothing to blame (the two decoders disagree on some edge): the strict error is the account.
        guard !log.issues.isEmpty else { return wireError(from: strictError, frame: frame) }
        // Both lists are bounded (ERR-9): the log stops recording past the limit and generated
        // validation stops visiting items, so comparing them is cheap however large the frame.
        let decodingIssues = log.issues
        var constraintIssues: [WireIssue] = []
        decoded.collectIssues(at: WirePath(), into: &constraintIssues)
        constraintIssues.removeAll { issue in decodingIssues.contains { issue.path.isAtOrUnder($0.path) } }
        let found = documentOrder(decodingIssues + constraintIssues, in: root)
        let issues = WireIssue.bounded(found)
        return WireError(code: .invalidMessage, message: summary(of: found), issues: issues)
    }

    /// One line for an error with `issues` (before they are bounded).
    static func summary(of issues: [WireIssue]) -> String {
        switch issues.count {
        case 1: issues[0].description
        case ...WireIssue.reportLimit: "the message has \(issues.count) schema violations"
        default: "the message has more than \(WireIssue.reportLimit) schema violations"
        }
    }

    /// The issues without repeats, sorted by where their values start in the frame; issues of one
    /// value keep the order they were found in.
    private static func documentOrder(_ issues: [WireIssue], in root: JSONTree) -> [WireIssue] {
        var seen = Set<WireIssue>()
        return issues.filter { seen.insert($0).inserted }
            .enumerated()
            .map { (offset: root.offset(of: $0.element.path), order: $0.offset, issue: $0.element) }
            .sorted { ($0.offset, $0.order) < ($1.offset, $1.order) }
            .map(\.issue)
    }
}

extension LenientDecodingLog {
    /// `malformed_frame` when the frame's `type` is missing or not a string.
    fileprivate var typeIssue: WireError? {
        issues.first { $0.path == "type" }.map { WireError(code: .malformedFrame, message: "the frame's type \($0.message)") }
    }
}

extension String {
    /// Whether this JSON path is `path` or a path inside the value at `path`.
    fileprivate func isAtOrUnder(_ path: String) -> Bool {
        guard !path.isEmpty else { return true }
        guard hasPrefix(path) else { return false }
        return count == path.count || [".", "["].contains(dropFirst(path.count).first)
    }
}
