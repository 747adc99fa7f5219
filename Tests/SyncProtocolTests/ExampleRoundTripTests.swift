import Foundation
import SyncProtocol
import SyncSpec
import Testing

@Suite("spec examples through the generated codecs")
struct ExampleRoundTripTests {
    static let messages = SpecFixture.spec.messages.map(\.name)
    static let schemas = SpecFixture.spec.schemas.filter { !$0.examples.isEmpty }.map(\.name)

    @Test("every message example decodes, validates and re-encodes to an equal value", arguments: messages)
    func messageExample(_ name: String) throws {
        let message = try #require(SpecFixture.spec.message(named: name))
        #expect(!message.examples.isEmpty)
        for example in message.examples {
            let decoded = try SpecFixture.decodeFrame(example.jsonData, sentBy: message.direction)
            #expect(type(of: decoded).messageType == name)
            #expect(decoded.validate() == [])
            let encoded = WireCodec.encode(decoded)
            #expect(jsonEquivalent(encoded, example.jsonData), "\(String(decoding: encoded, as: UTF8.self))")
            let again = try SpecFixture.decodeFrame(encoded, sentBy: message.direction)
            #expect(WireCodec.encode(again) == encoded, "encoding is not deterministic")
        }
    }

    @Test("every schema example decodes, validates and re-encodes to an equal value", arguments: schemas)
    func schemaExample(_ name: String) throws {
        let schema = try #require(SpecFixture.spec.schema(named: name))
        let type = try #require(WireCatalog.schemas[name])
        for example in schema.examples {
            let decoded = try WireCodec.decode(type, from: example.jsonData)
            let encoded = WireCodec.encode(decoded)
            #expect(jsonEquivalent(encoded, example.jsonData), "\(String(decoding: encoded, as: UTF8.self))")
        }
    }

    @Test("the catalog holds every schema and message of the spec")
    func catalog() {
        #expect(Set(WireCatalog.schemas.keys) == Set(SpecFixture.spec.schemas.map(\.name)))
        #expect(Set(WireCatalog.messages.keys) == Set(SpecFixture.spec.messages.map(\.name)))
        #expect(Set(ClientMessage.messageTypes) == Set(SpecFixture.spec.messages.filter(\.direction.fromClient).map(\.name)))
        #expect(Set(ServerMessage.messageTypes) == Set(SpecFixture.spec.messages.filter(\.direction.fromServer).map(\.name)))
        #expect(Set(ErrorInfo.registry.keys.map(\.rawValue)) == Set(SpecFixture.spec.errors.map(\.code)))
        #expect(ProtocolInfo.specHash == SpecFixture.spec.sourceHash)
    }
}

@Suite("generated values round-trip")
struct GeneratedValueTests {
    static let iterations = 40

    @Test("random valid frames of every message decode, validate clean and round-trip", arguments: SpecFixture.spec.messages.map(\.name))
    func messages(_ name: String) throws {
        let message = try #require(SpecFixture.spec.message(named: name))
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name))
        for _ in 0..<Self.iterations {
            let frame = generator.frame(for: message)
            #expect(ValueChecker(spec: SpecFixture.spec).check(frame, message: message) == [], "the generator made an invalid frame")
            let decoded = try SpecFixture.decodeFrame(frame.jsonData, sentBy: message.direction)
            let encoded = WireCodec.encode(decoded)
            #expect(jsonEquivalent(encoded, frame.jsonData), "\(frame.canonicalJSON)")
            let again = try SpecFixture.decodeFrame(encoded, sentBy: message.direction)
            #expect(WireCodec.encode(again) == encoded)
        }
    }

    @Test("random valid values of every schema round-trip to equal Swift values", arguments: SpecFixture.spec.schemas.map(\.name))
    func schemas(_ name: String) throws {
        let type = try #require(WireCatalog.schemas[name])
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0xC0FFEE)
        for _ in 0..<Self.iterations {
            let value = generator.instance(of: .named(name))
            try roundTrip(type, value)
        }
    }

    private func roundTrip<T: WireValue>(_ type: T.Type, _ value: SpecValue) throws {
        let decoded = try WireCodec.decode(T.self, from: value.jsonData)
        let encoded = WireCodec.encode(decoded)
        #expect(jsonEquivalent(encoded, value.jsonData), "\(value.canonicalJSON)")
        #expect(try WireCodec.decode(T.self, from: encoded) == decoded)
    }
}

/// FNV-1a of the name: a seed that is the same in every run (`hashValue` is not).
func stableSeed(_ name: String) -> UInt64 {
    name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}
