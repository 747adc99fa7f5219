import Foundation
import SyncProtocol
import SyncSpec
import SyncTestSupport
import Testing

/// The generated fast codec (`WireJSONCodable`) against Foundation, the reference it replaces:
/// whatever the fast reader takes, Foundation decodes to the same value; what it writes is
/// `JSONEncoder`'s bytes; its canonical form is `CanonicalJSON`'s text of the same value.
@Suite("fast codec")
struct FastCodecTests {
    static let iterations = 60

    @Test("every schema's random values: read as Foundation reads them, written as JSONEncoder writes them",
          arguments: SpecFixture.spec.schemas.map(\.name))
    func schemas(_ name: String) throws {
        let type = try #require(WireCatalog.schemas[name])
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0xFA57)
        var hits = 0
        for _ in 0..<Self.iterations {
            if try compare(type, generator.instance(of: .named(name)).jsonData) { hits += 1 }
        }
        #expect(hits == Self.iterations, "the fast path took \(hits) of \(Self.iterations) values of \(name)")
    }

    @Test("every message's random frames through the envelopes", arguments: SpecFixture.spec.messages.map(\.name))
    func messages(_ name: String) throws {
        let message = try #require(SpecFixture.spec.message(named: name))
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0xFA57)
        var hits = 0
        for _ in 0..<Self.iterations {
            let frame = generator.frame(for: message).jsonData
            let taken = switch message.direction {
            case .client, .both: try compare(ClientMessage.self, frame)
            case .server: try compare(ServerMessage.self, frame)
            }
            if taken { hits += 1 }
        }
        #expect(hits == Self.iterations, "the fast path took \(hits) of \(Self.iterations) \(name) frames")
    }

    @Test("inputs the fast path must leave to Foundation, and inputs it must take", arguments: FastCodecCases.mutations)
    func edges(_ text: String, taken: Bool) throws {
        let data = Data(text.utf8)
        let fast = JSONReader.read(Mutation.self, from: data)
        #expect((fast != nil) == taken, "\(text)")
        if let fast { #expect(fast == (try JSONDecoder().decode(Mutation.self, from: data))) }
    }

    @Test("invalid UTF-8, a byte order mark and nesting far beyond the limit are misses, not crashes")
    func hostileBytes() {
        let valid = Array(#"{"seq":1,"collection":"t","record_id":"r","op":"create","base_version":0,"client_time":1,"fields":{"a":"x"}}"#.utf8)
        #expect(JSONReader.read(Mutation.self, from: Data(valid)) != nil)
        var invalid = valid
        invalid[invalid.count - 4] = 0xFF // the "x" inside the last string
        #expect(JSONReader.read(Mutation.self, from: Data(invalid)) == nil)
        #expect(JSONReader.read(Mutation.self, from: Data([0xEF, 0xBB, 0xBF] + valid)) == nil)
        for depth in [63, 64, 65, 100_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let text = #"{"seq":1,"collection":"t","record_id":"r","op":"create","base_version":0,"client_time":1,"fields":{"a":"#
                + nested + "}}"
            // The mutation itself and `fields` take two levels.
            #expect((JSONReader.read(Mutation.self, from: Data(text.utf8)) != nil) == (depth + 2 <= 64), "depth \(depth)")
        }
    }

    @Test("randomly corrupted frames: whatever the fast path takes, Foundation decodes to the same value")
    func corruptedFrames() throws {
        var random = SeededGenerator(state: 0xC0DEC)
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: 0xC0DEC)
        let push = try #require(SpecFixture.spec.message(named: "push"))
        let noise = Array(#"{}[]",:\-+.eE0159 "a\u"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        var taken = 0, refused = 0
        for _ in 0..<3_000 {
            var bytes = Array(generator.frame(for: push).jsonData)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(noise.randomElement(using: &random)!, at: at)
                default: bytes[at] = noise.randomElement(using: &random)!
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            let data = Data(bytes)
            guard let fast = JSONReader.read(ClientMessage.self, from: data) else {
                refused += 1
                continue
            }
            taken += 1
            #expect(fast == (try? JSONDecoder().decode(ClientMessage.self, from: data)), "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(taken > 0 && refused > 0, "taken \(taken), refused \(refused)")
    }

    @Test("map keys and strings beyond ASCII, control characters and doubles are written as JSONEncoder writes them")
    func writerEdges() throws {
        let fields: JSONObject = [
            "b": 1, "a": 2, "é": 3, "z": 4, "Z": 5, "aa": 6, "a_b": 7, "aB": 8, "\u{10000}": 9, "\u{FFFF}": 10,
            "s": .string("\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f}\"\\/é😀\u{2028}"),
            "d": .array([1.0, 0.1, 1e20, 1e21, 1e-7, -0.0, 5e-324, 1.7976931348623157e308, 1e15, 1e16, 100, 12345.678, 9007199254740993.0].map(JSONValue.double)),
            "i": .array([.int(.min), .int(.max), .int(0), .int(-1)]), "n": .null, "t": true, "f": false, "o": .object([:]), "e": .array([]),
        ]
        let record = Record(collection: "c", id: "r", fields: fields, version: 1, fieldVersions: ["a": 1], updatedAt: 2, clientTime: 3, deleted: false)
        #expect(WireCodec.encode(record) == (try WireCodec.encoder.encode(record)))
        try expectCanonical(record)
    }

    @Test("infinity and NaN, which JSON cannot hold, are written null rather than breaking the text")
    func nonFinite() throws {
        for canonical in [false, true] {
            var writer = JSONWriter(canonical: canonical)
            [JSONValue.double(.infinity), .double(-.infinity), .double(.nan), .double(1.5)].writeJSON(to: &writer)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "[null,null,null,1.5]")
        }
    }

    /// Compares both paths on one input; whether the fast path took it (the generator writes
    /// nothing it should miss: every value must be taken).
    @discardableResult
    private func compare<T: WireValue>(_ type: T.Type, _ data: Data) throws -> Bool {
        let reference = try JSONDecoder().decode(T.self, from: data)
        let fast = JSONReader.read(T.self, from: data)
        if let fast { #expect(fast == reference) }
        let text = String(decoding: data, as: UTF8.self)
        #expect(WireCodec.encode(reference) == (try WireCodec.encoder.encode(reference)), "\(text)")
        try expectCanonical(reference)
        return fast != nil
    }

    /// The canonical writer writes `CanonicalJSON`'s text of the value JSONEncoder's text holds.
    private func expectCanonical<T: WireValue>(_ value: T) throws {
        var writer = JSONWriter(canonical: true)
        value.writeJSON(to: &writer)
        let tree = try JSONDecoder().decode(JSONValue.self, from: WireCodec.encoder.encode(value))
        #expect(writer.bytes == CanonicalJSON.bytes(tree))
    }
}

/// Hand-written mutations at the edges of the fast path: whether it takes each one.
enum FastCodecCases {
    private static let rest = #""collection":"t","record_id":"r","op":"update","client_time":1"#

    static let mutations: [(String, Bool)] = [
        (#"{"seq":1,"base_version":2,"# + rest + "}", true),
        (" \n\t{ \"seq\" : 1 , \"base_version\" : 2 , " + rest + " } \r\n", true),
        (#"{"seq":1,"base_version":2,"unknown":{"a":[1,2.5e3,{"b":null}],"c":"\u00e9"},"# + rest + "}", true),
        (#"{"seq":1,"base_version":2,"fields":null,"# + rest + "}", true),
        (#"{"seq":1,"base_version":2,"fields":{"a":"\ud83d\ude00\n\"\/","b":[true,false,null],"c":-9223372036854775808},"# + rest + "}", true),
        (#"{"seq":9223372036854775807,"base_version":2,"# + rest + "}", true),
        // Left to Foundation:
        (#"{"seq":1.0,"base_version":2,"# + rest + "}", false),
        (#"{"seq":1e2,"base_version":2,"# + rest + "}", false),
        (#"{"seq":-0,"base_version":2,"# + rest + "}", false),
        (#"{"seq":01,"base_version":2,"# + rest + "}", false),
        (#"{"seq":9223372036854775808,"base_version":2,"# + rest + "}", false),
        (#"{"seq":1,"seq":2,"base_version":2,"# + rest + "}", false),
        (#"{"s\u0065q":1,"base_version":2,"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":1,"a":2},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":0.5,"b":-129.5e-3,"c":52.5162,"d":1E-7},"# + rest + "}", true),
        (#"{"seq":1,"base_version":2,"fields":{"a":2.0},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":1e2},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":-0.0},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":1e400},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":0.99999999999999999999},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":1.},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":.5},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":"\ud800"},"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"fields":{"a":"\u0001"},"# + rest + "}", true),
        ("{\"seq\":1,\"base_version\":2,\"fields\":{\"a\":\"\u{1}\"}," + rest + "}", false),
        (#"{"seq":1,"base_version":2,"# + rest + ",}", false),
        (#"{"seq":1,"base_version":2,"# + rest + "}}", false),
        (#"{"seq":1,"base_version":2,"# + rest + "} x", false),
        (#"{"seq":1,"base_version":2,"fields":[],"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"op":"upsert","collection":"t","record_id":"r","client_time":1}"#, false),
        (#"{"seq":1,"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"unknown":[1,],"# + rest + "}", false),
        (#"{"seq":1,"base_version":2,"unknown":tru,"# + rest + "}", false),
        ("", false), ("[]", false), ("null", false),
    ]
}
