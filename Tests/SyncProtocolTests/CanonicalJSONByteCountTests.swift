import Foundation
import SyncProtocol
import Testing

/// `CanonicalJSON.byteCount` (how `max_bytes` is checked) is the length of the canonical text,
/// on random values of every schema and on the edges of strings and numbers.
@Suite("Canonical JSON byte count")
struct CanonicalJSONByteCountTests {
    @Test("every schema's random values count as many bytes as their canonical text", arguments: SpecFixture.spec.schemas.map(\.name))
    func schemas(_ name: String) throws {
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0xB17E)
        for _ in 0..<40 {
            let value = try JSONDecoder().decode(JSONValue.self, from: generator.instance(of: .named(name)).jsonData)
            #expect(CanonicalJSON.byteCount(value) == CanonicalJSON.encode(value).utf8.count)
        }
    }

    @Test("escapes, control characters, multi-byte scalars, integers at both ends and doubles")
    func edges() {
        let value: JSONValue = .object([
            "é\u{1F600}": .string("\"\\\u{08}\u{0C}\n\r\t\u{0}\u{1F}/ü漢\u{1F600}"), "min": .int(.min), "max": .int(.max), "zero": .int(0),
            "neg": .int(-7), "doubles": .array([.double(0.1), .double(-1e21), .double(1e-7), .double(123.456)]),
            "empty": .object([:]), "none": .array([]), "flags": .array([.bool(true), .bool(false), .null]),
        ])
        #expect(CanonicalJSON.byteCount(value) == CanonicalJSON.encode(value).utf8.count)
        for scalar: JSONValue in [.null, .bool(true), .bool(false), .int(9), .int(10), .int(-10), .string(""), .array([]), .object([:])] {
            #expect(CanonicalJSON.byteCount(scalar) == CanonicalJSON.encode(scalar).utf8.count)
        }
    }

    @Test("max_bytes refuses one byte over the limit and accepts the limit itself")
    func limit() {
        let fields: JSONObject = ["a": .string("xyz")]  // {"a":"xyz"}: 11 bytes
        var issues: [WireIssue] = []
        Check.maxBytes(fields, max: 11, at: WirePath(), into: &issues)
        #expect(issues.isEmpty)
        Check.maxBytes(fields, max: 10, at: WirePath(), into: &issues)
        #expect(issues.count == 1)
    }
}
