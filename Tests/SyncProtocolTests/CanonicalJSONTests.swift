import Foundation
import SyncProtocol
import Testing

/// RFC 8785 text (fingerprints hash it, IDEM-2), and `CanonicalJSON.byteCount` (how `max_bytes`
/// is checked): the length of that text, on random values of every schema and on the edges of
/// strings and numbers.
@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("known texts: members in UTF-16 order (RFC 8785's example keys), minimal escapes, integers")
    func knownTexts() {
        let keys = ["\u{20AC}", "\r", "\u{FB33}", "1", "\u{1F600}", "\u{80}", "\u{F6}"]
        let sorted = CanonicalJSON.encode(.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.int(1)) })))
        #expect(sorted == "{\"\\r\":1,\"1\":1,\"\u{80}\":1,\"\u{F6}\":1,\"\u{20AC}\":1,\"\u{1F600}\":1,\"\u{FB33}\":1}")
        let value: JSONValue = .object(["b": .int(-12), "a": .array([.string("x\n\"\\\u{1}\u{1F}é/"), .bool(true), .bool(false), .null, .double(1.5)]),
                                        "min": .int(.min), "zero": .int(0), "empty": .object([:])])
        #expect(CanonicalJSON.encode(value)
            == #"{"a":["x\n\"\\\u0001\u001fé/",true,false,null,1.5],"b":-12,"empty":{},"min":-9223372036854775808,"zero":0}"#)
        #expect(CanonicalJSON.bytes(value) == Array(CanonicalJSON.encode(value).utf8))
    }

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
