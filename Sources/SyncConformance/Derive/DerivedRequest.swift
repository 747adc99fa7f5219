import Foundation
import SyncSpec

/// Why a bound could not be turned into a request.
struct DeriveProblem: Error, CustomStringConvertible {
    var description: String
}

/// One request of a derived vector: the target's base request with one field set to a value at
/// or beyond its bound.
struct DerivedRequest {
    /// The WebSocket message or the REST body.
    var body: JSON?
    /// Query parameters, in order.
    var query: [(String, String)]
    /// How many mutations a push carries.
    var mutationCount = 1
    /// The `request_id` the message carries (WebSocket).
    var requestId: String?

    /// The target's base request (or `onto`) with the field at `path` set to `value`.
    static func make(target: DerivedTarget, path: String, field: Field, bound: BoundaryDeriver.Bound,
                     value: Int64, onto: DerivedRequest? = nil) -> Result<DerivedRequest, DeriveProblem> {
        let made: JSON
        var count = 1
        switch bound.kind {
        case .minLength, .maxLength:
            guard let text = filler(length: Int(value), pattern: field.constraints.pattern, mustMatch: value == bound.value) else {
                return .failure(DeriveProblem(description: "no repeated character satisfies the pattern \(field.constraints.pattern ?? "")"))
            }
            made = .string(text)
        case .minimum, .maximum:
            made = .int(value)
        case .minItems, .maxItems:
            switch field.type {
            case .array(.named("Mutation")):
                made = .array((0..<Int(value)).map { mutation(index: $0) })
                count = Int(value)
            case .array(.string):
                let names = (0..<Int(value)).map { "c\($0 + 1)" }
                if let pattern = field.constraints.pattern, !names.allSatisfy({ matches($0, pattern) }) {
                    return .failure(DeriveProblem(description: "generated item names do not satisfy \(pattern)"))
                }
                made = .array(names.map(JSON.string))
            default:
                return .failure(DeriveProblem(description: "no item builder for \(field.type)"))
            }
        case .maxBytes:
            // {"v":"xxx"} is 8 bytes plus the x's in canonical form (RFC 8785).
            guard value >= 9 else { return .failure(DeriveProblem(description: "a bound below 9 bytes")) }
            made = .object([.init("v", .string(String(repeating: "x", count: Int(value) - 8)))])
        }
        var request = onto ?? DerivedRequest(body: target.base, query: [])
        if [.minItems, .maxItems].contains(bound.kind) { request.mutationCount = count }
        let parts = path.components(separatedBy: "[].")
        if target.base == nil {
            request.query.append((path, made.string ?? made.compact))
        } else if parts.count == 2 {
            request.body = request.body.map { setting(parts[0], in: $0) { list in firstElement(of: list) { setting(parts[1], in: $0, to: made) } } }
        } else {
            request.body = request.body.map { setting(path, in: $0, to: made) }
        }
        request.requestId = request.body?["request_id"]?.string
        return .success(request)
    }

    /// Mutation `index` of a batch: creates of distinct records with consecutive sequence numbers.
    static func mutation(index: Int) -> JSON {
        var members = DerivedTarget.mutation.members ?? []
        for (key, value) in [("seq", JSON.int(Int64(index + 1))), ("record_id", .string("n\(index + 1)"))] {
            if let at = members.firstIndex(where: { $0.key == key }) { members[at] = JSON.Member(key, value) }
        }
        return .object(members)
    }

    /// `length` copies of the first of a few characters that make the pattern match (when it must).
    static func filler(length: Int, pattern: String?, mustMatch: Bool) -> String? {
        for candidate in ["a", "k", "A", "0"] {
            let text = String(repeating: candidate, count: length)
            if !mustMatch || pattern.map({ matches(text, $0) }) ?? true { return text }
        }
        return nil
    }

    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    static func setting(_ key: String, in object: JSON, to value: JSON) -> JSON {
        setting(key, in: object) { _ in value }
    }

    /// `object` with member `key` changed (or added, changed from null).
    static func setting(_ key: String, in object: JSON, _ change: (JSON) -> JSON) -> JSON {
        guard var members = object.members else { return object }
        if let at = members.firstIndex(where: { $0.key == key }) {
            members[at] = JSON.Member(key, change(members[at].value))
        } else {
            members.append(JSON.Member(key, change(.null)))
        }
        return .object(members)
    }

    static func firstElement(of list: JSON, _ change: (JSON) -> JSON) -> JSON {
        guard case .array(var elements) = list, !elements.isEmpty else { return list }
        elements[0] = change(elements[0])
        return .array(elements)
    }
}
