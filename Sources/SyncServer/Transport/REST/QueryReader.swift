import Hummingbird
import SyncProtocol

/// Reads and validates query and path parameters against their spec constraints, collecting every
/// issue; `finish()` refuses the request with all of them (`invalid_message`, or `invalid_cursor`
/// for a malformed cursor, ERR-6).
struct QueryReader {
    private let values: [String: String]
    private(set) var issues: [WireIssue] = []

    /// The request's query parameters; of a repeated one, the first counts.
    init(_ request: Request) {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where values[String(name)] == nil {
            values[String(name)] = String(value)
        }
        self.values = values
    }

    /// Validates a string parameter; `nil` when absent or invalid.
    mutating func string(_ name: String, minLength: Int64? = nil, maxLength: Int64? = nil, pattern: WirePattern? = nil) -> String? {
        guard let value = values[name] else { return nil }
        return Self.validated(value, name: name, minLength: minLength, maxLength: maxLength, pattern: pattern, into: &issues)
    }

    /// Validates an integer parameter; `nil` when absent or invalid.
    mutating func integer(_ name: String, minimum: Int64? = nil, maximum: Int64? = nil) -> Int64? {
        guard let text = values[name] else { return nil }
        guard let value = Int64(text) else {
            issues.append(WireIssue(path: name, message: "must be an integer"))
            return nil
        }
        let before = issues.count
        Check.range(value, min: minimum, max: maximum, at: WirePath().appending(name), into: &issues)
        return issues.count == before ? value : nil
    }

    /// Validates an enumerated parameter; `nil` when absent or unknown.
    mutating func value<Value: RawRepresentable<String>>(_ name: String, as type: Value.Type) -> Value? {
        guard let text = values[name] else { return nil }
        guard let value = Value(rawValue: text) else {
            issues.append(WireIssue(path: name, message: "is not a known value"))
            return nil
        }
        return value
    }

    /// Refuses the request when any parameter was invalid.
    func finish() throws(ServiceError) {
        guard issues.isEmpty else {
            throw ServiceError.decoding(WireError(code: .invalidMessage, message: "the request's parameters break \(issues.count) constraint(s) of the spec", issues: issues))
        }
    }

    /// Validates one value, appending its issues; the value when it has none.
    static func validated(
        _ value: String, name: String, minLength: Int64? = nil, maxLength: Int64? = nil, pattern: WirePattern? = nil,
        into issues: inout [WireIssue]
    ) -> String? {
        let before = issues.count
        let path = WirePath().appending(name)
        Check.length(value, min: minLength, max: maxLength, at: path, into: &issues)
        if let pattern { Check.pattern(value, pattern, at: path, into: &issues) }
        return issues.count == before ? value : nil
    }
}

/// The parameter patterns of `Spec/rest.yaml`.
enum ParameterPattern {
    static let cursor = WirePattern("^[A-Za-z0-9_-]+$")
    static let collection = WirePattern("^[a-z][a-z0-9_]{0,63}$")
    static let collectionList = WirePattern("^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63}){0,63}$")
    static let resourceId = WirePattern("^[A-Za-z0-9_-]+$")
    static let deviceId = WirePattern("^[A-Za-z0-9_.:-]+$")
    static let recordId = WirePattern("^[A-Za-z0-9_.:-]+$")
}
