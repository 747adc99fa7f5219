import Foundation

/// One constraint a value breaks, with the JSON path to it (`mutations[3].record_id`).
public struct WireIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON path from the frame or body root; empty for the root itself.
    public var path: String
    /// What is wrong, without echoing the value.
    public var message: String

    /// Creates an issue.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// Most issues an error lists (ERR-9, `max_reported_issues`); more are cut to a marker.
    public static let reportLimit = Int(Limits.maxReportedIssues)

    /// The entry that ends a list cut at `reportLimit` (ERR-9): empty path, `truncated:` message.
    public static let truncationMarker = WireIssue(
        path: "", message: "truncated: more than \(reportLimit) violations were found; only the first \(reportLimit) are listed")

    /// At most `reportLimit` of `issues`, then the truncation marker when any were left out.
    public static func bounded(_ issues: [WireIssue]) -> [WireIssue] {
        issues.count <= reportLimit ? issues : Array(issues.prefix(reportLimit)) + [truncationMarker]
    }
}

/// A wire type that can report every constraint its value breaks.
public protocol WireValidatable {
    /// Appends the issues of this value, found under `path`.
    func collectIssues(at path: WirePath, into issues: inout [WireIssue])
}

extension WireValidatable {
    /// Every constraint this value breaks; empty when it is valid.
    public func validate() -> [WireIssue] {
        var issues: [WireIssue] = []
        collectIssues(at: WirePath(), into: &issues)
        return WireIssue.bounded(issues)
    }
}

/// A JSON path being built while validating.
public struct WirePath: Sendable, Hashable, CustomStringConvertible {
    /// The path text, such as `mutations[3].record_id`.
    public private(set) var description: String

    /// The root.
    public init() {
        description = ""
    }

    /// The path of a member.
    public func appending(_ key: String) -> WirePath {
        var copy = self
        copy.description = description.isEmpty ? key : "\(description).\(key)"
        return copy
    }

    /// The path of an array element.
    public func appending(index: Int) -> WirePath {
        var copy = self
        copy.description = "\(description)[\(index)]"
        return copy
    }
}

/// The checks generated validation code calls; each appends an issue when a constraint fails.
public enum Check {
    /// String length in Unicode code points, as JSON Schema counts it.
    public static func length(_ value: String, min: Int64?, max: Int64?, at path: WirePath, into issues: inout [WireIssue]) {
        let count = Int64(value.unicodeScalars.count)
        if let min, count < min { issues.append(WireIssue(path: path.description, message: "shorter than \(min)")) }
        if let max, count > max { issues.append(WireIssue(path: path.description, message: "longer than \(max)")) }
    }

    /// An integer's inclusive range.
    public static func range(_ value: Int64, min: Int64?, max: Int64?, at path: WirePath, into issues: inout [WireIssue]) {
        if let min, value < min { issues.append(WireIssue(path: path.description, message: "less than \(min)")) }
        if let max, value > max { issues.append(WireIssue(path: path.description, message: "greater than \(max)")) }
    }

    /// A number's inclusive range.
    public static func range(_ value: Double, min: Int64?, max: Int64?, at path: WirePath, into issues: inout [WireIssue]) {
        if let min, value < Double(min) { issues.append(WireIssue(path: path.description, message: "less than \(min)")) }
        if let max, value > Double(max) { issues.append(WireIssue(path: path.description, message: "greater than \(max)")) }
    }

    /// An array's or map's number of entries; whether it is within bounds, so that generated
    /// code checks the items only then (ERR-6: a count limit comes before per-item work).
    @discardableResult
    public static func count(_ count: Int, min: Int64?, max: Int64?, at path: WirePath, into issues: inout [WireIssue]) -> Bool {
        if let min, count < min {
            issues.append(WireIssue(path: path.description, message: "fewer than \(min) items"))
            return false
        }
        if let max, count > max {
            issues.append(WireIssue(path: path.description, message: "more than \(max) items"))
            return false
        }
        return true
    }

    /// A regular expression that must match somewhere in the string.
    public static func pattern(_ value: String, _ pattern: WirePattern, at path: WirePath, into issues: inout [WireIssue]) {
        if !pattern.matches(value) {
            issues.append(WireIssue(path: path.description, message: "does not match \(pattern.source)"))
        }
    }

    /// A known string format.
    public static func format(_ value: String, _ format: WireFormat, at path: WirePath, into issues: inout [WireIssue]) {
        if !format.matches(value) {
            issues.append(WireIssue(path: path.description, message: "is not a valid \(format.rawValue)"))
        }
    }

    /// `max_bytes`: the size in bytes of the value's RFC 8785 canonical JSON encoding, here of an
    /// object (a record's fields), counted without writing it.
    public static func maxBytes(_ value: JSONObject, max: Int64, at path: WirePath, into issues: inout [WireIssue]) {
        if Int64(CanonicalJSON.byteCount(.object(value))) > max { issues.append(WireIssue(path: path.description, message: "larger than \(max) bytes")) }
    }

    /// `max_bytes` of any other wire value, by the same canonical encoding.
    public static func maxBytes(_ value: some WireJSONCodable, max: Int64, at path: WirePath, into issues: inout [WireIssue]) {
        var writer = JSONWriter(canonical: true)
        value.writeJSON(to: &writer)
        if writer.bytes.count > max { issues.append(WireIssue(path: path.description, message: "larger than \(max) bytes")) }
    }

    /// The issues of every element, until more than `WireIssue.reportLimit` have been found (ERR-9).
    public static func each(_ values: [some WireValidatable], at path: WirePath, into issues: inout [WireIssue]) {
        for (index, value) in values.enumerated() {
            guard issues.count <= WireIssue.reportLimit else { return }
            value.collectIssues(at: path.appending(index: index), into: &issues)
        }
    }

    /// Runs `check` on every string of a list, each at its own index, until more than
    /// `WireIssue.reportLimit` issues have been found (ERR-9).
    public static func eachItem(_ values: [String], at path: WirePath, into issues: inout [WireIssue],
                                _ check: (String, WirePath, inout [WireIssue]) -> Void) {
        for (index, value) in values.enumerated() {
            guard issues.count <= WireIssue.reportLimit else { return }
            check(value, path.appending(index: index), &issues)
        }
    }

    /// The issues of every value of a map, in key order, until more than `WireIssue.reportLimit`
    /// have been found (ERR-9).
    public static func each(_ values: [String: some WireValidatable], at path: WirePath, into issues: inout [WireIssue]) {
        for key in values.keys.sorted() {
            guard issues.count <= WireIssue.reportLimit else { return }
            values[key]?.collectIssues(at: path.appending(key), into: &issues)
        }
    }
}

/// A regular expression compiled once, for validation.
public struct WirePattern: Sendable {
    /// The expression as the spec writes it.
    public let source: String
    private let regex: NSRegularExpression?
    /// The direct matcher, when the expression has its shape (nearly every pattern of the spec).
    private let sequence: SequencePattern?

    /// Compiles `expression`, the ICU form of the spec's `source` (the generator writes it:
    /// JSON Schema's `$` is ICU's `\z`); an expression that does not compile (the linter refuses
    /// those) matches nothing.
    public init(_ source: String, expression: String) {
        self.source = source
        regex = try? NSRegularExpression(pattern: expression)
        sequence = regex == nil ? nil : SequencePattern.compile(expression)
    }

    /// A hand-written pattern in the spec's form whose one end anchor is its final `$` (which
    /// becomes `\z`, as the generator writes it).
    public init(_ source: String) {
        let anchored = source.hasSuffix("$") && !source.hasSuffix("\\$")
        self.init(source, expression: anchored ? source.dropLast() + "\\z" : source)
    }

    /// Whether the expression matches somewhere in `value`.
    public func matches(_ value: String) -> Bool {
        if let sequence { return sequence.matches(value) }
        return regex?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    /// Whether `matches` answers without ICU (tests compare both).
    package var matchesDirectly: Bool { sequence != nil }
}

/// String formats the spec names.
public enum WireFormat: String, Sendable {
    /// RFC 9562 UUID text.
    case uuid
    /// 64 lowercase hexadecimal digits.
    case sha256Hex = "sha256_hex"
    /// An absolute URI.
    case uri

    /// Whether `value` has this format.
    public func matches(_ value: String) -> Bool {
        switch self {
        case .uuid: UUID(uuidString: value) != nil && value.utf8.count == 36
        case .sha256Hex: value.utf8.count == 64 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        case .uri: URL(string: value)?.scheme != nil
        }
    }
}
