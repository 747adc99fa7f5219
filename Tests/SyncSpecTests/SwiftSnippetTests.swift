import SyncSpec
import Testing

/// Single constructs of the format and the Swift they become.
@Suite("Swift renderer snippets")
struct SwiftSnippetTests {
    private func rendered(_ path: String) throws -> String {
        let files = SwiftRenderer.render(try loadValid(try miniSpecFiles()))
        return try #require(files.first { $0.path == path }).contents
    }

    @Test("required fields are plain, optional ones default to nil; keywords are escaped")
    func fields() throws {
        let item = try rendered("Schemas/Item.swift")
        #expect(item.contains("public var id: String\n"))
        #expect(item.contains("public var color: Color?\n"))
        #expect(item.contains("public var `default`: Bool?\n"))
        #expect(item.contains("public init(id: String, count: Int64, color: Color? = nil, `default`: Bool? = nil,"))
        #expect(item.contains("self.`default` = try container.decodeIfPresent(Bool.self, forKey: .`default`)"))
    }

    @Test("constraints become checks; limit names stay symbolic")
    func constraints() throws {
        let item = try rendered("Schemas/Item.swift")
        #expect(item.contains("Check.length(value, min: 1, max: 16, at: path.appending(\"id\"), into: &issues)"))
        #expect(item.contains("private static let idPattern = WirePattern(\"^[a-z0-9-]+$\", expression: \"^[a-z0-9-]+\\\\z\")"))
        #expect(item.contains("Check.maxBytes(value, max: Limits.maxPayloadBytes, at: path.appending(\"payload\"), into: &issues)"))
        #expect(item.contains("Check.format(value, .sha256Hex, at: path.appending(\"digest\"), into: &issues)"))
        let submit = try rendered("Messages/SubmitMessage.swift")
        #expect(submit.contains("Check.count(value.count, min: 1, max: Limits.maxItemsPerBatch, at: path.appending(\"items\"), into: &issues)"))
        #expect(submit.contains("Check.each(value, at: path.appending(\"items\"), into: &issues)"))
    }

    @Test("messages carry their type; snake_case keys map to camelCase")
    func messages() throws {
        let submit = try rendered("Messages/SubmitMessage.swift")
        #expect(submit.contains("public struct SubmitMessage: WireMessage {"))
        #expect(submit.contains("public static let messageType = \"submit\""))
        #expect(submit.contains("case requestId = \"request_id\""))
        #expect(submit.contains("try container.encode(Self.messageType, forKey: .type)"))
    }

    @Test("a message sent by both sides is in both envelopes")
    func envelopes() throws {
        let client = try rendered("ClientMessage.swift")
        let server = try rendered("ServerMessage.swift")
        #expect(client.contains("case ping(PingMessage)") && server.contains("case ping(PingMessage)"))
        #expect(client.contains("case submit(SubmitMessage)") && !server.contains("SubmitMessage"))
        #expect(server.contains("case submitted(SubmittedMessage)") && !client.contains("SubmittedMessage"))
        #expect(client.contains("default: throw UnknownMessageType(type: type)"))
    }

    @Test("enum values, the error registry, limits and endpoints")
    func registry() throws {
        #expect(try rendered("Enums/Color.swift").contains("case lightBlue = \"light_blue\""))
        let errors = try rendered("ErrorCodes.swift")
        #expect(errors.contains(".unauthorized: ErrorInfo(code: .unauthorized, status: 401, retryable: false, closeCode: 4401, title: \"Unauthorized\"),"))
        #expect(try rendered("Limits.swift").contains("public static let maxItemsPerBatch: Int64 = 50"))
        let endpoints = try rendered("Endpoints.swift")
        #expect(endpoints.contains("public static let submitItems = EndpointDescriptor(operationId: \"submitItems\", method: \"POST\", path: \"/v1/items/{batch_id}\", requiresAuth: true, feature: nil, errors: [.invalidMessage, .unauthorized])"))
        #expect(endpoints.contains("public static let idempotencyKey = \"Idempotency-Key\""))
    }
}
