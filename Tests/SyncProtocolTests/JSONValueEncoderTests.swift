import Foundation
import SyncProtocol
import Testing

/// `JSONValueEncoder` gives the tree that JSON text would: checked against encoding to text and
/// decoding it again, on random valid values of every schema and message of the spec.
@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    static let iterations = 40

    @Test("every schema's random values give the tree their JSON text gives", arguments: SpecFixture.spec.schemas.map(\.name))
    func schemas(_ name: String) throws {
        let type = try #require(WireCatalog.schemas[name])
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0x7EE)
        for _ in 0..<Self.iterations {
            try compare(type, generator.instance(of: .named(name)).jsonData)
        }
    }

    @Test("every message's random frames give the tree their JSON text gives", arguments: SpecFixture.spec.messages.map(\.name))
    func messages(_ name: String) throws {
        let message = try #require(SpecFixture.spec.message(named: name))
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0x7EE)
        for _ in 0..<Self.iterations {
            let decoded = try SpecFixture.decodeFrame(generator.frame(for: message).jsonData, sentBy: message.direction)
            #expect(normalized(try JSONValueEncoder.encode(decoded)) == normalized(try viaText(decoded)))
        }
    }

    @Test("numbers, nulls and nesting as text reads them")
    func edges() throws {
        let value: JSONValue = .object([
            "whole": .double(2), "big": .double(1e300), "small": .double(-0.000001), "int": .int(.min), "null": .null,
            "nested": .array([.object([:]), .array([]), .string("é\u{0}\"\\"), .bool(false)]),
        ])
        #expect(normalized(try JSONValueEncoder.encode(value)) == normalized(try viaText(value)))
        #expect(normalized(try JSONValueEncoder.encode(["a": [1, 2], "b": []])) == .object(["a": .array([.int(1), .int(2)]), "b": .array([])]))
    }

    private func compare<T: WireValue>(_ type: T.Type, _ data: Data) throws {
        let decoded = try WireCodec.decode(T.self, from: data)
        #expect(normalized(try JSONValueEncoder.encode(decoded)) == normalized(try viaText(decoded)))
    }

    private func viaText(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: WireCodec.encode(value))
    }

    /// Whole doubles that fit in 64 bits as integers, as text reads them back.
    private func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let number) where number == number.rounded() && abs(number) < 9.2e18: .int(Int64(number))
        case .array(let items): .array(items.map(normalized))
        case .object(let members): .object(members.mapValues(normalized))
        default: value
        }
    }
}
