import Foundation
import Testing

/// The exported OpenAPI bounds the `Idempotency-Key` header exactly as the server does: 1 to 255
/// key characters, bare or in RFC 8941 quotes (issue 9: 257 bare characters used to validate).
@Suite("OpenAPI: Idempotency-Key header bounds")
struct IdempotencyKeyHeaderTests {
    private func headerPattern() throws -> NSRegularExpression {
        let data = try Data(contentsOf: Paths.repositoryRoot.appendingPathComponent("docs/spec/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let push = try #require((paths["/v1/sync/push"] as? [String: Any])?["post"] as? [String: Any])
        let parameters = try #require(push["parameters"] as? [[String: Any]])
        let header = try #require(parameters.first { ($0["name"] as? String) == "Idempotency-Key" })
        let pattern = try #require((header["schema"] as? [String: Any])?["pattern"] as? String)
        return try NSRegularExpression(pattern: pattern)
    }

    @Test("255 characters pass, 256 do not, bare or quoted")
    func bounds() throws {
        let regex = try headerPattern()
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for (length, expected) in [(1, true), (255, true), (256, false), (257, false)] {
            let key = String(repeating: "k", count: length)
            #expect(matches(key) == expected, "bare key of \(length)")
            #expect(matches("\"\(key)\"") == expected, "quoted key of \(length)")
        }
        #expect(!matches(""))
        #expect(!matches("\"\""))
    }
}
