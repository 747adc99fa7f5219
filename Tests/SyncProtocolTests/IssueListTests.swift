import Foundation
import SyncProtocol
import Testing

/// A frame with its expected issues, for the parameterized tests below.
struct IssueCase: Sendable, CustomTestStringConvertible {
    let frame: String
    let issues: [WireIssue]

    init(_ frame: String, _ issues: [(String, String)]) {
        self.frame = frame
        self.issues = issues.map { WireIssue(path: $0.0, message: $0.1) }
    }

    var testDescription: String { frame }
}

@Suite("invalid_message lists every issue (WS-4, ERR-6)")
struct IssueListTests {
    private static let mutation = #""collection":"tasks","record_id":"n1","op":"create","base_version":0,"fields":{"t":1},"client_time":1767225600000"#
    private static let push = #"{"type":"push","request_id":"r1","idempotency_key":"k1","mutations":[{"seq":1,\#(mutation)}]}"#
    private static let hello = #"{"type":"hello","protocol_version":"1.0.0","client":{"platform":"ios","app_version":"1.0","os_version":"17.0","network_type":"wifi"}}"#

    private func failure(_ frame: String) -> WireError? {
        do {
            _ = try ClientMessage.decode(Data(frame.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("the frames the cases start from are valid")
    func baseFramesAreValid() throws {
        _ = try ClientMessage.decode(Data(Self.push.utf8))
        _ = try ClientMessage.decode(Data(Self.hello.utf8))
    }

    @Test("a wrong type, a broken pattern and an unknown enum value in one mutation are three issues")
    func threeIssues() throws {
        let frame = #"{"type":"push","request_id":"r1","idempotency_key":"k1","mutations":[{"seq":"one","collection":"Bad-Name","record_id":"n1","op":"zap","base_version":0,"fields":{"t":1},"client_time":1767225600000}]}"#
        let error = try #require(failure(frame))
        #expect(error.code == .invalidMessage)
        #expect(error.issues == [
            WireIssue(path: "mutations[0].seq", message: "must be an integer"),
            WireIssue(path: "mutations[0].collection", message: "does not match ^[a-z][a-z0-9_]{0,63}$"),
            WireIssue(path: "mutations[0].op", message: "must be one of create, update, delete"),
        ])
    }

    static let cases: [IssueCase] = [
        // Wrong JSON type at the top level, in a nested object and in arrays.
        IssueCase(#"{"type":"pull","request_id":7}"#, [("request_id", "must be a string")]),
        IssueCase(hello.replacingOccurrences(of: #""platform":"ios""#, with: #""platform":["ios"]"#), [("client.platform", "must be a string")]),
        IssueCase(hello.replacingOccurrences(of: #""client":{"#, with: #""client":"phone","x":{"#), [("client", "must be an object")]),
        IssueCase(#"{"type":"pull","request_id":"a","collections":["tasks",5,"notes",{}]}"#,
                  [("collections[1]", "must be a string"), ("collections[3]", "must be a string")]),
        IssueCase(push.replacingOccurrences(of: #""mutations":["#, with: #""mutations":[5,"#), [("mutations[0]", "must be an object")]),
        IssueCase(#"{"type":"push","request_id":"r1","idempotency_key":"k1","mutations":"all"}"#, [("mutations", "must be an array")]),
        // An enum value the spec does not define, nested.
        IssueCase(hello.replacingOccurrences(of: #""wifi""#, with: #""carrier_pigeon""#),
                  [("client.network_type", "must be one of wifi, cellular, ethernet, offline, unknown")]),
        // Missing and null required keys, at the top and nested.
        IssueCase(push.replacingOccurrences(of: #""idempotency_key":"k1","#, with: ""), [("idempotency_key", "is required")]),
        IssueCase(push.replacingOccurrences(of: #""request_id":"r1""#, with: #""request_id":null"#), [("request_id", "must not be null")]),
        IssueCase(hello.replacingOccurrences(of: #","client":{"platform":"ios","app_version":"1.0","os_version":"17.0","network_type":"wifi"}"#, with: ""),
                  [("client", "is required")]),
        IssueCase(push.replacingOccurrences(of: #""base_version":0,"#, with: #""base_version":null,"#).replacingOccurrences(of: #""op":"create","#, with: ""),
                  [("mutations[0].base_version", "must not be null"), ("mutations[0].op", "is required")]),
        // Numbers that do not fit their field.
        IssueCase(#"{"type":"pull","request_id":"n1","limit":123456789012345678901234567890}"#, [("limit", "must be an integer that fits in 64 bits")]),
        IssueCase(#"{"type":"pull","request_id":"n2","limit":1e400}"#, [("limit", "must be an integer that fits in 64 bits")]),
        IssueCase(#"{"type":"pull","request_id":"n3","limit":-9223372036854775809}"#, [("limit", "must be an integer that fits in 64 bits")]),
        IssueCase(#"{"type":"pull","request_id":"n4","limit":2.5}"#, [("limit", "must be an integer")]),
        IssueCase(#"{"type":"pull","request_id":"n5","limit":25e-1}"#, [("limit", "must be an integer")]),
        IssueCase(push.replacingOccurrences(of: #"{"t":1}"#, with: #"{"a":1,"t":1e400,"u":[2,-1E999]}"#),
                  [("mutations[0].fields.t", "must be a number that fits in 64 bits"), ("mutations[0].fields.u[1]", "must be a number that fits in 64 bits")]),
        // Decoding issues mixed with constraint violations, in document order; none for placeholders.
        IssueCase(#"{"type":"pull","limit":"ten","request_id":"","cursor":"no spaces"}"#,
                  [("limit", "must be an integer"), ("request_id", "shorter than 1"), ("request_id", "does not match ^[A-Za-z0-9_.:-]+$"),
                   ("cursor", "does not match ^[A-Za-z0-9_-]+$")]),
        IssueCase(push.replacingOccurrences(of: #""seq":1"#, with: #""seq":0"#).replacingOccurrences(of: #""tasks""#, with: "5")
            .replacingOccurrences(of: #""request_id":"r1""#, with: #""request_id":"r 1""#),
                  [("request_id", "does not match ^[A-Za-z0-9_.:-]+$"), ("mutations[0].seq", "less than 1"), ("mutations[0].collection", "must be a string")]),
    ]

    @Test("each kind of decoding failure is an issue at its path", arguments: cases)
    func everyKind(_ testCase: IssueCase) throws {
        let error = try #require(failure(testCase.frame))
        #expect(error.code == .invalidMessage)
        #expect(error.issues == testCase.issues)
    }

    @Test("text that is not a JSON object with a string type stays malformed_frame, even with bad values inside",
          arguments: [#"{"type":"pull","request_id":"a","limit":01}"#, #"{"type":"pull","request_id":"a","limit":-}"#,
                      #"{"type":"pull","request_id":"a","limit":1.}"#, #"{"type":"pull","request_id":"a","limit":1e400"#,
                      #"{"type":1e400,"limit":1e400}"#, #"{"limit":"x","request_id":5}"#, #"{"type":null,"limit":"x"}"#,
                      #"{"type":"pull","request_id":"\ud800"}"#, "{\"type\":\"pull\",\"request_id\":\"a\u{01}\"}", #"[{"type":"pull"}]"#,
                      #"{"type":"pull","request_id":"a"} {}"#, String(repeating: "[", count: 600) + String(repeating: "]", count: 600)])
    func malformed(_ frame: String) {
        #expect(failure(frame)?.code == .malformedFrame)
    }

    @Test("an undefined type stays unknown_message_type, whatever else the frame holds")
    func unknownType() {
        #expect(failure(#"{"type":"zap","limit":1e400}"#)?.code == .unknownMessageType)
        #expect(failure(#"{"type":"welcome","limit":"x"}"#)?.code == .unknownMessageType)
    }

    @Test("a message decoded on its own refuses another message's type")
    func anotherType() throws {
        do {
            _ = try WireCodec.decode(PullMessage.self, from: Data(#"{"type":"ping","request_id":"a","limit":1e400}"#.utf8))
            Issue.record("decoded a ping as a pull")
        } catch {
            #expect(error.code == .malformedFrame)
        }
    }

    @Test("a number the strict decoder reads as an integer is read the same when explaining a failure",
          arguments: ["1e2", "100.0", "10000e-2", "1E+2"])
    func integerSpellings(_ limit: String) throws {
        let valid = try ClientMessage.decode(Data(#"{"type":"pull","request_id":"a","limit":\#(limit)}"#.utf8))
        #expect(valid == .pull(PullMessage(requestId: "a", limit: 100)))
        let error = try #require(failure(#"{"type":"pull","request_id":5,"limit":\#(limit)}"#))
        #expect(error.issues == [WireIssue(path: "request_id", message: "must be a string")])
    }

    @Test("the same frame gives the same issues in the same order every time")
    func deterministic() throws {
        let frame = Self.push.replacingOccurrences(of: #"{"t":1}"#, with: #"{"z":1e400,"b":1e400,"m":{"k":[1e400]},"a":1e400}"#)
            .replacingOccurrences(of: #""seq":1"#, with: #""seq":"x""#)
        let first = try #require(failure(frame))
        #expect(first.issues.map(\.path) == ["mutations[0].seq", "mutations[0].fields.z", "mutations[0].fields.b",
                                             "mutations[0].fields.m.k[0]", "mutations[0].fields.a"])
        for _ in 0..<20 {
            #expect(failure(frame) == first)
        }
    }

    @Test("REST bodies list every issue too")
    func restBody() throws {
        let body = #"{"mutations":[{"seq":1,\#(Self.mutation)},{"seq":2.5,"collection":"tasks","op":"move","base_version":-1,"client_time":1}]}"#
        do {
            _ = try WireCodec.decode(PushRequest.self, from: Data(body.utf8))
            Issue.record("accepted an invalid body")
        } catch {
            #expect(error.code == .invalidMessage)
            #expect(error.issues == [
                WireIssue(path: "mutations[1].seq", message: "must be an integer"),
                WireIssue(path: "mutations[1].op", message: "must be one of create, update, delete"),
                WireIssue(path: "mutations[1].base_version", message: "less than 0"),
                WireIssue(path: "mutations[1].record_id", message: "is required"),
            ])
        }
    }
}
