/// Example problem documents for the error codes of an endpoint.
package enum ProblemExample {
    /// The schema of REST error bodies, when the spec defines it.
    package static let schemaName = "Problem"

    /// A problem document for `error`: the spec's own `Problem` example with this code if there
    /// is one; otherwise the required members of the first `Problem` example, with the code, its
    /// title, status, retryability and (for a retryable code, when `Problem` has the member)
    /// its minimum delay as `retry_after_ms` put in (and the example's code replaced in any
    /// string that contained it, such as the problem `type` URI). Without a `Problem` schema,
    /// just `title`, `status` and `code`.
    package static func value(for error: ErrorDefinition, in spec: ProtocolSpec) -> OrderedJSON.Object {
        let registry: OrderedJSON.Object = [
            "title": .string(error.title),
            "status": .int(Int64(error.status)),
            "code": .string(error.code),
            "retryable": .bool(error.retryable),
            "retry_after_ms": error.retry.map { .int($0.minDelayMs) },
        ]
        guard let problem = spec.schema(named: schemaName) else {
            var value = registry
            value["retryable"] = nil
            value["retry_after_ms"] = nil
            return value
        }
        let examples = problem.examples.compactMap { example -> OrderedJSON.Object? in
            if case .object(let object) = OrderedJSON(example) { object } else { nil }
        }
        if let own = examples.first(where: { $0["code"] == .string(error.code) }) { return own }
        let fields = Set(problem.fields.map(\.name))
        let required = Set(problem.fields.filter(\.required).map(\.name))
        var value = OrderedJSON.Object()
        let template = examples.first ?? [:]
        var templateCode: String?
        if case .string(let code)? = template["code"] { templateCode = code }
        for member in template.members where required.contains(member.key) {
            if let templateCode, case .string(let text) = member.value {
                value[member.key] = .string(text.replacingOccurrences(of: templateCode, with: error.code))
            } else {
                value[member.key] = member.value
            }
        }
        for member in registry.members where fields.contains(member.key) {
            value[member.key] = member.value
        }
        return value
    }
}
