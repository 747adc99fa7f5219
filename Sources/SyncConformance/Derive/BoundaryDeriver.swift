import Foundation
public import SyncSpec

/// A vector written by `sync-conformance derive`: its id and its YAML text.
public struct DerivedVector: Sendable, Equatable {
    /// The vector's id (also its file name without `.yaml`).
    public var id: String
    /// The vector file's text.
    public var text: String
}

/// Derives boundary vectors from the spec: every constrained field of the requests in
/// `DerivedTarget.all` (message fields, body fields one level into their items, query
/// parameters), at its bound (accepted) and one step beyond it (refused, with the code LIM-2
/// names or `invalid_message`), on the transport the request travels. Bounds and limit values
/// are read from `Spec/`, so a changed limit changes the vectors; `derive --check` finds
/// vectors that were not regenerated.
public enum BoundaryDeriver {
    /// One bound of one field.
    struct Bound {
        enum Kind: String { case minLength = "min-length", maxLength = "max-length", minimum, maximum
            case minItems = "min-items", maxItems = "max-items", maxBytes = "max-bytes" }
        var kind: Kind
        var value: Int64
        /// The limit the spec names for it, if any.
        var limit: String?
        var isMax: Bool { [.maxLength, .maximum, .maxItems, .maxBytes].contains(kind) }
        /// The value one step beyond the bound; `nil` when there is none (a length below 0).
        var beyond: Int64? {
            if isMax { return value + 1 }
            return [.minLength, .minItems].contains(kind) && value == 0 ? nil : value - 1
        }
    }

    /// The vectors, in a stable order, and what could not be derived (field, reason).
    public static func derive(_ spec: ProtocolSpec) -> (vectors: [DerivedVector], skipped: [(String, String)]) {
        var vectors: [DerivedVector] = []
        var skipped: [(String, String)] = []
        for target in DerivedTarget.all {
            for (path, field) in fields(of: target, in: spec) {
                if let reason = skipReason(target, path: path, field: field) {
                    skipped.append(("\(target.label) \(path)", reason))
                    continue
                }
                for bound in bounds(of: field, in: spec) {
                    // Both sides or neither: a refusal only means something next to the acceptance.
                    var pair: [DerivedVector] = []
                    for accepted in [true, false] {
                        guard let value = accepted ? bound.value : bound.beyond else { continue }
                        switch DerivedRequest.make(target: target, path: path, field: field, bound: bound, value: value) {
                        case .success(let request):
                            pair.append(DerivedVectorText.render(target: target, path: path, bound: bound, value: value,
                                                                 accepted: accepted, request: request, spec: spec))
                        case .failure(let reason):
                            skipped.append(("\(target.label) \(path) \(bound.kind.rawValue) \(bound.value)", reason.description))
                            pair = []
                        }
                        if pair.isEmpty { break }
                    }
                    vectors += pair
                }
            }
            if let both = twoViolations(target, spec: spec) { vectors.append(both) }
        }
        return (vectors, skipped)
    }

    /// Why the field at `path` is not derived (by its name, or by source and path), if it is not.
    static func skipReason(_ target: DerivedTarget, path: String, field: Field) -> String? {
        DerivedTarget.skipped[field.name] ?? DerivedTarget.skipped["\(target.source).\(path.replacingOccurrences(of: "[]", with: ""))"]
    }

    /// A request breaking two fields' bounds at once, both refused with `invalid_message`:
    /// the answer must list both (WS-4, ERR-1). Numeric bounds first, upper bounds before lower
    /// ones; `nil` when the target has fewer than two such fields.
    static func twoViolations(_ target: DerivedTarget, spec: ProtocolSpec) -> DerivedVector? {
        var chosen: [(String, Field, Bound, Int64)] = []
        let candidates = fields(of: target, in: spec).filter { skipReason(target, path: $0, field: $1) == nil }
        for numeric in [true, false] {
            for (path, field) in candidates where !chosen.contains(where: { $0.0 == path }) && chosen.count < 2 {
                // Upper bounds first: one over breaks only the bound, an empty string also the pattern.
                let usable = bounds(of: field, in: spec).sorted { $0.isMax && !$1.isMax }.first { bound in
                    [.minimum, .maximum].contains(bound.kind) == numeric && ![.minItems, .maxItems].contains(bound.kind)
                        && bound.beyond != nil && DerivedTarget.refusalCode(field: field.name, bound: bound) == "invalid_message"
                }
                if let usable, let beyond = usable.beyond { chosen.append((path, field, usable, beyond)) }
            }
        }
        guard chosen.count == 2 else { return nil }
        var request: DerivedRequest?
        for (path, field, bound, value) in chosen {
            guard case .success(let made) = DerivedRequest.make(target: target, path: path, field: field, bound: bound, value: value, onto: request) else {
                return nil
            }
            request = made
        }
        guard let request else { return nil }
        return DerivedVectorText.renderTwoViolations(target: target, paths: chosen.map { ($0.0, $0.3) }, request: request)
    }

    /// The varied fields of a target, with their paths (`mutations[].record_id`).
    static func fields(of target: DerivedTarget, in spec: ProtocolSpec) -> [(String, Field)] {
        var top: [Field] = []
        if case .webSocket = target.transport {
            top = spec.messages.first { $0.name == target.source }?.fields ?? []
        } else if let endpoint = spec.endpoints.first(where: { $0.operationId == target.source }) {
            if case .named(let name) = endpoint.request?.schema { top = spec.schema(named: name)?.fields ?? [] }
            top += endpoint.query
        }
        var result: [(String, Field)] = []
        for field in top where field.name != "type" {
            if !field.constraints.bounds.isEmpty { result.append((field.name, field)) }
            if case .array(.named(let item)) = field.type, let schema = spec.schema(named: item) {
                for inner in schema.fields where !inner.constraints.bounds.isEmpty { result.append(("\(field.name)[].\(inner.name)", inner)) }
            }
        }
        return result
    }

    static func bounds(of field: Field, in spec: ProtocolSpec) -> [Bound] {
        field.constraints.bounds.compactMap { key, bound in
            let kind: Bound.Kind? = switch key {
            case "min_length": .minLength
            case "max_length": .maxLength
            case "minimum": .minimum
            case "maximum": .maximum
            case "min_items": .minItems
            case "max_items": .maxItems
            case "max_bytes": .maxBytes
            default: nil
            }
            switch bound {
            case .literal(let value): return kind.map { Bound(kind: $0, value: value, limit: nil) }
            case .limit(let name): return kind.flatMap { kind in spec.limit(named: name).map { Bound(kind: kind, value: $0.value, limit: name) } }
            }
        }
    }
}
