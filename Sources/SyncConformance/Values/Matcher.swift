import Foundation

/// One place where an actual value differs from the expected one.
public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
    /// JSONPath-like location, `$.results[0].status`.
    public var path: String
    /// What differs.
    public var message: String
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Matches actual JSON against expected values with `$` matchers, collecting captures.
public struct Matcher: Sendable {
    /// Subset or exact comparison of objects.
    public var mode: MatchMode
    /// Captures known so far, extended by `$capture` on a successful match.
    public var captures: [String: JSON]

    /// Creates a matcher.
    public init(mode: MatchMode = .subset, captures: [String: JSON] = [:]) {
        self.mode = mode
        self.captures = captures
    }

    /// Matches `actual` (nil = missing) against `expected`. On success the captures are kept.
    public mutating func match(_ expected: JSON, _ actual: JSON?, path: String = "$") -> [Mismatch] {
        var trial = self
        let problems = trial.check(expected, actual, path)
        if problems.isEmpty { self = trial }
        return problems
    }

    /// Whether `value` is a matcher object (a non-empty map whose keys all start with `$`).
    public static func isMatcher(_ value: JSON) -> Bool {
        guard let members = value.members, !members.isEmpty else { return false }
        return members.allSatisfy { $0.key.hasPrefix("$") }
    }

    private mutating func check(_ expected: JSON, _ actual: JSON?, _ path: String) -> [Mismatch] {
        if Self.isMatcher(expected), let members = expected.members {
            return members.flatMap { operator_($0.key, $0.value, actual, path) }
        }
        guard let actual else { return [Mismatch(path: path, message: "expected \(Self.show(expected)), but it is missing")] }
        switch (expected, actual) {
        case (.object(let wanted), .object(let got)):
            // `{}` asks for an empty object (a tombstone's fields): as a subset it would match
            // every object. Any object at all is `{$type: object}`.
            if wanted.isEmpty, !got.isEmpty {
                return [Mismatch(path: path, message: "expected an empty object, got \(Self.show(actual))")]
            }
            var problems: [Mismatch] = []
            for member in wanted {
                problems += check(member.value, actual[member.key], path + "." + member.key)
            }
            if mode == .exact {
                for extra in got where !wanted.contains(where: { $0.key == extra.key }) {
                    problems.append(Mismatch(path: path + "." + extra.key, message: "unexpected key (exact match), got \(Self.show(extra.value))"))
                }
            }
            return problems
        case (.array(let wanted), .array(let got)):
            guard wanted.count == got.count else {
                return [Mismatch(path: path, message: "expected an array of \(wanted.count), got \(got.count) elements")]
            }
            return zip(wanted, got).enumerated().flatMap { check($1.0, $1.1, "\(path)[\($0)]") }
        default:
            return expected.jsonEquals(actual) ? [] : [Mismatch(path: path, message: "expected \(Self.show(expected)), got \(Self.show(actual))")]
        }
    }

    private mutating func operator_(_ key: String, _ argument: JSON, _ actual: JSON?, _ path: String) -> [Mismatch] {
        func fail(_ message: String) -> [Mismatch] { [Mismatch(path: path, message: message)] }
        if key == "$absent" {
            return actual == nil ? [] : fail("expected no value, got \(Self.show(actual!))")
        }
        guard let actual else { return fail("expected a value (\(key)), but it is missing") }
        switch key {
        case "$any":
            return []
        case "$type":
            let wanted = argument.string ?? ""
            let got = actual.typeName
            let ok = wanted == got || (wanted == "number" && got == "int") || (wanted == "int" && actual.integer != nil && got == "number")
            return ok ? [] : fail("expected a value of type \(wanted), got \(Self.show(actual))")
        case "$regex":
            guard let text = actual.string, let groups = Self.namedGroups(argument.string ?? "", text) else {
                return fail("expected a string matching /\(argument.string ?? "")/, got \(Self.show(actual))")
            }
            // Named groups (`(?<name>...)`) are captures: numbers as numbers, other text as strings.
            for (name, value) in groups { captures[name] = Int64(value).map(JSON.int) ?? Double(value).map(JSON.double) ?? .string(value) }
            return []
        case "$len":
            let count: Int? = switch actual {
            case .array(let items): items.count
            case .object(let members): members.count
            case .string(let text): text.count
            default: nil
            }
            if Self.isMatcher(argument), let count {
                // `{$len: {$gte: 2}}`: the length against a matcher.
                return check(argument, .int(Int64(count)), path + ".length")
            }
            return count.map(Int64.init) == argument.integer ? [] : fail("expected length \(argument.compact), got \(count.map(String.init) ?? "no length") in \(Self.show(actual))")
        case "$gte", "$lte", "$gt", "$lt":
            guard let value = actual.number, let bound = argument.number else { return fail("expected a number (\(key) \(argument.compact)), got \(Self.show(actual))") }
            let ok = switch key {
            case "$gte": value >= bound
            case "$lte": value <= bound
            case "$gt": value > bound
            default: value < bound
            }
            return ok ? [] : fail("expected \(key.dropFirst()) \(argument.compact), got \(Self.show(actual))")
        case "$one_of":
            guard case .array(let options) = argument else { return fail("$one_of needs a list") }
            for option in options {
                var trial = self
                if trial.check(option, actual, path).isEmpty { self = trial; return [] }
            }
            return fail("expected one of \(argument.compact), got \(Self.show(actual))")
        case "$contains":
            guard case .array(let items) = actual else { return fail("expected an array containing \(argument.compact), got \(Self.show(actual))") }
            for item in items {
                var trial = self
                if trial.check(argument, item, path).isEmpty { self = trial; return [] }
            }
            return fail("expected an array containing \(argument.compact), got \(Self.show(actual))")
        case "$unordered":
            guard case .array(let wanted) = argument else { return fail("$unordered needs a list") }
            guard case .array(let got) = actual, got.count == wanted.count else {
                return fail("expected an array of \(wanted.count) in any order, got \(Self.show(actual))")
            }
            var solved = self
            guard solved.assign(wanted[...], got, used: Set()) else { return fail("expected (any order) \(argument.compact), got \(Self.show(actual))") }
            self = solved
            return []
        case "$each":
            guard case .array(let items) = actual else { return fail("expected an array (each matching \(argument.compact)), got \(Self.show(actual))") }
            return items.enumerated().flatMap { check(argument, $1, "\(path)[\($0)]") }
        case "$not":
            var trial = self
            return trial.check(argument, actual, path).isEmpty ? fail("expected anything but \(argument.compact), got \(Self.show(actual))") : []
        case "$capture":
            if let name = argument.string { captures[name] = actual }
            return []
        case "$eq_capture":
            guard let name = argument.string, let captured = captures[name] else { return fail("no capture named \(argument.compact)") }
            return captured.jsonEquals(actual) ? [] : fail("expected the captured \(name) = \(Self.show(captured)), got \(Self.show(actual))")
        default:
            return fail("unknown matcher \(key)")
        }
    }

    /// Backtracking assignment of expected elements to distinct actual ones (multiset match).
    private mutating func assign(_ wanted: ArraySlice<JSON>, _ got: [JSON], used: Set<Int>) -> Bool {
        guard let first = wanted.first else { return true }
        for index in got.indices where !used.contains(index) {
            var trial = self
            if trial.check(first, got[index], "$").isEmpty, trial.assign(wanted.dropFirst(), got, used: used.union([index])) {
                self = trial
                return true
            }
        }
        return false
    }

    /// Whether `pattern` matches somewhere in `text` (unanchored unless it anchors itself, as spec patterns).
    static func search(_ pattern: String, _ text: String) -> Bool {
        namedGroups(pattern, text) != nil
    }

    /// The text of each named group of the first match of `pattern` in `text` (groups that took
    /// part in it); `nil` when nothing matches.
    static func namedGroups(_ pattern: String, _ text: String) -> [(String, String)]? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return groupNames(in: pattern).compactMap { name in
            Range(match.range(withName: name), in: text).map { (name, String(text[$0])) }
        }
    }

    /// The names of the named groups of `pattern`, in order.
    static func groupNames(in pattern: String) -> [String] {
        groupName.matches(in: pattern, range: NSRange(pattern.startIndex..., in: pattern)).compactMap {
            Range($0.range(at: 1), in: pattern).map { String(pattern[$0]) }
        }
    }

    /// `(?<name>` in a pattern (a constant pattern: it always compiles).
    private static let groupName = try! NSRegularExpression(pattern: "\\(\\?<([A-Za-z][A-Za-z0-9_]*)>")

    static func show(_ value: JSON) -> String {
        let text = value.compact
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }
}
