import Foundation
import SyncProtocol
import Testing

/// ERR-6 and ERR-9: a frame with many violations costs linear time and gets a bounded answer.
@Suite("error details are bounded (ERR-9) and count limits come first (ERR-6)")
struct IssueBoundTests {
    private func failure(_ frame: String) -> WireError? {
        do {
            _ = try ClientMessage.decode(Data(frame.utf8))
            return nil
        } catch {
            return error
        }
    }

    private func push(_ items: [String]) -> String {
        #"{"type":"push","request_id":"r1","idempotency_key":"k1","mutations":[\#(items.joined(separator: ","))]}"#
    }

    @Test("8,000 empty mutations: the count issue leads a list cut at the limit")
    func manyEmptyMutations() throws {
        let error = try #require(failure(push(Array(repeating: "{}", count: 8000))))
        #expect(error.code == .invalidMessage)
        #expect(error.issues.count == WireIssue.reportLimit + 1)
        #expect(error.issues.first == WireIssue(path: "mutations", message: "more than \(Limits.maxMutationsPerPush) items"))
        #expect(error.issues.last == WireIssue.truncationMarker)
        #expect(error.message == "the message has more than \(WireIssue.reportLimit) schema violations")
    }

    @Test("a batch within the count limit whose items all break the schema is cut at the limit")
    func manyBrokenMutationsWithinCount() throws {
        let error = try #require(failure(push(Array(repeating: "{}", count: Int(Limits.maxMutationsPerPush)))))
        #expect(error.issues.count == WireIssue.reportLimit + 1)
        #expect(error.issues.last == WireIssue.truncationMarker)
        #expect(error.issues.dropLast().allSatisfy { $0.path.hasPrefix("mutations[") })
    }

    @Test("decodable mutations beyond the count limit are not validated one by one")
    func countBeforeItems() throws {
        // Every mutation decodes but breaks a constraint (an empty collection name); past the
        // count limit, only the count is reported.
        let item = #"{"seq":1,"collection":"","record_id":"n1","op":"create","base_version":0,"fields":{},"client_time":1}"#
        let error = try #require(failure(push(Array(repeating: item, count: Int(Limits.maxMutationsPerPush) + 1))))
        #expect(error.issues == [WireIssue(path: "mutations", message: "more than \(Limits.maxMutationsPerPush) items")])
    }

    @Test("limit - 1, limit and limit + 1 violations")
    func atTheLimit() throws {
        // One violation per mutation: a negative base version.
        let item = #"{"seq":1,"collection":"tasks","record_id":"n1","op":"create","base_version":-1,"fields":{},"client_time":1}"#
        for count in [WireIssue.reportLimit - 1, WireIssue.reportLimit, WireIssue.reportLimit + 1] {
            let error = try #require(failure(push(Array(repeating: item, count: count))))
            if count <= WireIssue.reportLimit {
                #expect(error.issues.count == count)
                #expect(!error.issues.contains(WireIssue.truncationMarker))
            } else {
                #expect(error.issues.count == WireIssue.reportLimit + 1)
                #expect(error.issues.last == WireIssue.truncationMarker)
            }
        }
    }

    @Test("the bounded answer fits in one frame")
    func answerFits() throws {
        let longKey = String(repeating: "k", count: 1000)
        let item = #"{"seq":"x","collection":1,"record_id":2,"op":3,"base_version":"y","fields":[],"client_time":"z","\#(longKey)":1}"#
        let error = try #require(failure(push(Array(repeating: item, count: 400))))
        #expect(error.issues.count <= WireIssue.reportLimit + 1)
        let message = ErrorMessage(code: error.code.rawValue, message: error.message, retryable: false, details: error.issues.map {
            ValidationIssue(path: $0.path, message: $0.message)
        })
        #expect(WireCodec.encode(message).count < Int(Limits.maxFrameBytes))
    }
}
