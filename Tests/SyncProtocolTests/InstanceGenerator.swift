import Foundation
import SyncSpec
import SyncTestSupport

/// Builds random values that satisfy a spec type and its constraints, straight from the model.
/// Strings under a pattern or format are drawn from the values the spec's own examples use for
/// that field, plus generic candidates that the pattern accepts.
struct InstanceGenerator {
    let spec: ProtocolSpec
    var random: SeededGenerator
    /// Example values seen per field name, harvested from every example in the spec.
    private let samples: [String: [SpecValue]]

    init(spec: ProtocolSpec, seed: UInt64) {
        self.spec = spec
        random = SeededGenerator(state: seed)
        var samples: [String: [SpecValue]] = [:]
        func harvest(_ value: SpecValue) {
            switch value.kind {
            case .object(let pairs):
                for pair in pairs {
                    samples[pair.key, default: []].append(pair.value)
                    harvest(pair.value)
                }
            case .array(let items): items.forEach(harvest)
            default: break
            }
        }
        spec.messages.flatMap(\.examples).forEach(harvest)
        spec.schemas.flatMap(\.examples).forEach(harvest)
        self.samples = samples
    }

    /// A whole frame for `message`, `type` included.
    mutating func frame(for message: MessageDefinition) -> SpecValue {
        let fields = object(message.fields)
        guard case .object(let pairs) = fields.kind else { return fields }
        return value(.object([(key: "type", value: value(.string(message.name)))] + pairs))
    }

    /// A value of `type` that meets `constraints`; `field` names the field for sample lookup.
    mutating func instance(of type: TypeRef, constraints: Constraints = Constraints(), field: String = "") -> SpecValue {
        switch type {
        case .string: return string(constraints, field: field)
        case .int:
            let low = constraints.minimum.flatMap(spec.resolve) ?? (constraints.format == .unixMs ? 1_600_000_000_000 : -1_000)
            let high = constraints.maximum.flatMap(spec.resolve) ?? (constraints.format == .unixMs ? 1_900_000_000_000 : 1_000_000)
            return value(.int(Int64.random(in: low...max(low, high), using: &random)))
        case .number:
            let low = Double(constraints.minimum.flatMap(spec.resolve) ?? -1_000)
            let high = Double(constraints.maximum.flatMap(spec.resolve) ?? 1_000)
            return value(.number(Double.random(in: low...max(low, high), using: &random)))
        case .bool: return value(.bool(Bool.random(using: &random)))
        case .object: return freeObject(constraints)
        case .any: return Bool.random(using: &random) ? freeObject(constraints) : value(.string(randomText(length: 5)))
        case .array(let element):
            let count = itemCount(constraints)
            // String constraints on a list of strings hold for each item.
            let items = element == .string ? constraints.itemStringConstraints : Constraints()
            return value(.array((0..<count).map { _ in instance(of: element, constraints: items, field: field) }))
        case .map(let element):
            let count = itemCount(constraints)
            let pairs = (0..<count).map { index in (key: "k\(index)_\(randomText(length: 3))", value: instance(of: element, field: field)) }
            return value(.object(pairs))
        case .named(let name):
            if let enumeration = spec.enumeration(named: name), let choice = enumeration.values.randomElement(using: &random) {
                return value(.string(choice.name))
            }
            return object(spec.schema(named: name)?.fields ?? [])
        }
    }

    private mutating func object(_ fields: [Field]) -> SpecValue {
        var pairs: [(key: String, value: SpecValue)] = []
        for field in fields where field.required || Bool.random(using: &random) {
            pairs.append((key: field.name, value: instance(of: field.type, constraints: field.constraints, field: field.name)))
        }
        return value(.object(pairs))
    }

    private mutating func string(_ constraints: Constraints, field: String) -> SpecValue {
        let checker = ValueChecker(spec: spec)
        let accepts = { (candidate: SpecValue) in checker.check(candidate, type: .string, constraints: constraints).isEmpty }
        if constraints.pattern != nil || constraints.format != nil {
            let generic = ["a", "abc123", "r-1", "x_y.z:0", String(repeating: "0", count: 64), UUID().uuidString.lowercased(), "https://example.com/a"]
            let pool = (samples[field] ?? []).filter(accepts) + generic.map { value(.string($0)) }.filter(accepts)
            if let choice = pool.randomElement(using: &random) { return choice }
        }
        let low = Int(constraints.minLength.flatMap(spec.resolve) ?? 0)
        let high = Int(min(constraints.maxLength.flatMap(spec.resolve) ?? 24, Int64(low + 24)))
        return value(.string(randomText(length: Int.random(in: low...max(low, high), using: &random))))
    }

    /// Text mixing ASCII, escapes JSON must handle, and characters outside the BMP.
    private mutating func randomText(length: Int) -> String {
        let alphabet: [Character] = Array("abcXYZ019 _-.\"\\/\n\tüß漢字🙂")
        return String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
    }

    private mutating func freeObject(_ constraints: Constraints) -> SpecValue {
        let count = Int.random(in: 0...3, using: &random)
        let pairs = (0..<count).map { index -> (key: String, value: SpecValue) in
            let kinds: [SpecValue.Kind] = [.null, .bool(true), .int(Int64(index) * 7 - 3), .number(0.5), .string(randomText(length: 4)),
                                            .array([value(.int(1)), value(.string("two"))])]
            return (key: "f\(index)", value: value(kinds.randomElement(using: &random)!))
        }
        return value(.object(pairs))
    }

    private mutating func itemCount(_ constraints: Constraints) -> Int {
        let low = Int(constraints.minItems.flatMap(spec.resolve) ?? 0)
        let high = Int(min(constraints.maxItems.flatMap(spec.resolve) ?? 3, Int64(low + 3)))
        return Int.random(in: low...max(low, high), using: &random)
    }

    private func value(_ kind: SpecValue.Kind) -> SpecValue {
        SpecValue(kind, at: SourceLocation(file: "<generated>", line: 0, column: 0))
    }
}
