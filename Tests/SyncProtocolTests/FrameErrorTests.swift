import Foundation
import SyncProtocol
import SyncSpec
import Testing

@Suite("malformed, unknown and invalid frames")
struct FrameErrorTests {
    private func code(_ text: String) -> ErrorCode? {
        do {
            _ = try ClientMessage.decode(Data(text.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    private func error(_ text: String) -> WireError? {
        do {
            _ = try ClientMessage.decode(Data(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    /// A valid push frame from the spec's examples, as a mutable JSON object.
    private func pushFrame() throws -> [String: Any] {
        let example = try #require(SpecFixture.spec.message(named: "push")?.examples.first)
        return try #require(try JSONSerialization.jsonObject(with: example.jsonData) as? [String: Any])
    }

    private func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("bytes that are not a JSON object with a string type are malformed_frame",
          arguments: ["", "not json", "{", "[]", "\"push\"", "42", "null", "{}", "{\"type\": 5}", "{\"type\": null}",
                      "{\"type\": [\"push\"]}", "{\"type\": \"push\"", "\u{FEFF}{]"])
    func malformed(_ text: String) {
        #expect(code(text) == .malformedFrame)
    }

    @Test("invalid UTF-8 is malformed_frame")
    func invalidUTF8() {
        #expect(throws: WireError.self) { try ClientMessage.decode(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D])) }
        do {
            _ = try ClientMessage.decode(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]))
        } catch {
            #expect(error.code == .malformedFrame)
        }
    }

    @Test("a type the spec does not define, or one only the server sends, is unknown_message_type")
    func unknownType() {
        #expect(code("{\"type\": \"no_such_message\"}") == .unknownMessageType)
        for name in ServerMessage.messageTypes where !ClientMessage.messageTypes.contains(name) {
            #expect(code("{\"type\": \"\(name)\"}") == .unknownMessageType, "\(name)")
        }
        #expect(error("{\"type\": \"\(String(repeating: "x", count: 10_000))\"}")?.message.count ?? 0 < 200)
    }

    @Test("a missing required field is invalid_message with its path")
    func missingField() throws {
        var frame = try pushFrame()
        frame.removeValue(forKey: "mutations")
        let failure = try #require(error(try encode(frame)))
        #expect(failure.code == .invalidMessage)
        #expect(failure.issues == [WireIssue(path: "mutations", message: "is required")])
    }

    @Test("a wrong type deep inside is invalid_message with the JSON path")
    func nestedTypeError() throws {
        var frame = try pushFrame()
        var mutations = try #require(frame["mutations"] as? [[String: Any]])
        mutations[0]["seq"] = "seven"
        frame["mutations"] = mutations
        let failure = try #require(error(try encode(frame)))
        #expect(failure.code == .invalidMessage)
        #expect(failure.issues.map(\.path) == ["mutations[0].seq"])
    }

    @Test("a number that does not fit its integer field is invalid_message, not malformed_frame", arguments: ["1.5", "1e30", "-99999999999999999999", "true", "\"7\""])
    func numberOutOfType(_ value: String) throws {
        var frame = try pushFrame()
        frame["mutations"] = nil
        let text = try encode(frame).dropLast() + ", \"mutations\": [{\"seq\": \(value), \"collection\": \"tasks\", \"record_id\": \"r\", \"op\": \"create\", \"base_version\": 0, \"fields\": {}, \"client_time\": 1}]}"
        #expect(error(String(text))?.code == .invalidMessage, "\(value)")
    }

    @Test("every constraint violation is reported, each with its path")
    func allViolations() throws {
        var frame = try pushFrame()
        var mutation = try #require((frame["mutations"] as? [[String: Any]])?.first)
        mutation["seq"] = 0
        mutation["record_id"] = String(repeating: "r", count: Int(Limits.maxRecordIdLength) + 1)
        mutation["collection"] = "Not A Collection!"
        frame["mutations"] = [mutation, mutation]
        frame["request_id"] = ""
        let failure = try #require(error(try encode(frame)))
        #expect(failure.code == .invalidMessage)
        let paths = Set(failure.issues.map(\.path))
        for index in 0..<2 {
            #expect(paths.contains("mutations[\(index)].seq"))
            #expect(paths.contains("mutations[\(index)].record_id"))
            #expect(paths.contains("mutations[\(index)].collection"))
        }
        #expect(paths.contains("request_id"))
        #expect(failure.issues.contains(WireIssue(path: "mutations[1].record_id", message: "longer than \(Limits.maxRecordIdLength)")))
    }

    @Test("a line break at the end of a patterned string breaks the pattern (JSON Schema's `$`)", arguments: ["\n", "\r\n", "\r"])
    func trailingLineBreak(_ ending: String) throws {
        var frame = try pushFrame()
        var mutation = try #require((frame["mutations"] as? [[String: Any]])?.first)
        mutation["record_id"] = "r1" + ending
        mutation["collection"] = "tasks" + ending
        frame["mutations"] = [mutation]
        frame["idempotency_key"] = "key" + ending
        let failure = try #require(error(try encode(frame)))
        #expect(failure.code == .invalidMessage)
        #expect(Set(failure.issues.map(\.path)) == ["mutations[0].record_id", "mutations[0].collection", "idempotency_key"])
        #expect(!WirePattern("^[a-z]+$").matches("abc" + ending) && WirePattern("^[a-z]+$").matches("abc"))
    }

    @Test("too many mutations is reported against the limit")
    func tooMany() throws {
        var frame = try pushFrame()
        let mutation = try #require((frame["mutations"] as? [[String: Any]])?.first)
        frame["mutations"] = (0...Limits.maxMutationsPerPush).map { index -> [String: Any] in
            var copy = mutation
            copy["seq"] = index + 1
            return copy
        }
        let failure = try #require(error(try encode(frame)))
        #expect(failure.issues.contains(WireIssue(path: "mutations", message: "more than \(Limits.maxMutationsPerPush) items")))
    }

    @Test("unknown fields are ignored and null optional fields are absent")
    func unknownFieldsIgnored() throws {
        for message in SpecFixture.spec.messages {
            for example in message.examples {
                var object = try #require(try JSONSerialization.jsonObject(with: example.jsonData) as? [String: Any])
                object["x_future_field"] = ["nested": [1, 2, 3]]
                for field in message.fields where !field.required && object[field.name] == nil {
                    object[field.name] = NSNull()
                }
                let decoded = try SpecFixture.decodeFrame(try JSONSerialization.data(withJSONObject: object), sentBy: message.direction)
                #expect(jsonEquivalent(WireCodec.encode(decoded), example.jsonData), "\(message.name)")
            }
        }
    }

    @Test("every truncation of every client example fails cleanly")
    func truncations() {
        for message in SpecFixture.spec.messages where message.direction.fromClient {
            for example in message.examples {
                let bytes = example.jsonData
                for length in 0..<bytes.count {
                    #expect(throws: WireError.self) { try ClientMessage.decode(bytes.prefix(length)) }
                }
            }
        }
    }

    @Test("encoding is canonical: sorted keys, same bytes every time")
    func canonicalEncoding() throws {
        let example = try #require(SpecFixture.spec.message(named: "push")?.examples.first)
        let decoded = try ClientMessage.decode(example.jsonData)
        let text = String(decoding: decoded.encoded(), as: UTF8.self)
        #expect(decoded.encoded() == decoded.encoded())
        let keys = try #require(try JSONSerialization.jsonObject(with: decoded.encoded()) as? [String: Any]).keys.sorted()
        var lastIndex = text.startIndex
        for key in keys {
            let range = try #require(text.range(of: "\"\(key)\":", range: lastIndex..<text.endIndex))
            lastIndex = range.upperBound
        }
    }
}
