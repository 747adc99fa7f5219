import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// How REST requests are refused: authentication, unknown paths and methods, bodies, limits.
@Suite struct RESTErrorTests {
    private func push(_ client: some TestClientProtocol, body: String, headers: HTTPFields? = nil) async throws -> TestResponse {
        var fields = headers ?? .bearer(TestToken.device, json: true)
        fields[.idempotencyKey] = "key-1"
        return try await client.execute(uri: "/v1/sync/push", method: .post, headers: fields, body: .json(body))
    }

    // MARK: Authentication (AUTH-1, AUTH-2)

    @Test func aMissingTokenIsUnauthorized() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies", method: .get)
            try expectProblem(response, .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
        }
        #expect(service.effectiveCalls.isEmpty)
    }

    @Test(arguments: ["Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer", "device-token"])
    func anUnusableAuthorizationIsUnauthorized(header: String) async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies", method: .get, headers: [.authorization: header])
            try expectProblem(response, .unauthorized)
        }
    }

    @Test func anExpiredTokenIsTokenExpired() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies", method: .get, headers: .bearer(TestToken.expired))
            try expectProblem(response, .tokenExpired)
            #expect(response.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
        }
    }

    @Test func aQueryTokenDoesNotAuthenticateREST() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies?token=\(TestToken.device)", method: .get)
            try expectProblem(response, .unauthorized)
        }
    }

    // MARK: Paths and methods (ERR-7)

    @Test func anUnknownPathIsNotFoundWithOrWithoutAToken() async throws {
        try await makeTransport().application.test(.router) { client in
            try expectProblem(try await client.execute(uri: "/v1/nothing", method: .get), .notFound)
            try expectProblem(try await client.execute(uri: "/v1/nothing", method: .get, headers: .bearer(TestToken.device)), .notFound)
            try expectProblem(try await client.execute(uri: "/v1/uploads", method: .post, headers: .bearer(TestToken.device)), .notFound)
        }
    }

    @Test func aKnownPathWithAnotherMethodIsMethodNotAllowed() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/sync/push", method: .get, headers: .bearer(TestToken.device))
            try expectProblem(response, .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")

            let collection = try await client.execute(uri: "/v1/policies/collections/tasks", method: .post)
            try expectProblem(collection, .methodNotAllowed)
            #expect(collection.headers[.allow] == "PUT, DELETE")
        }
    }

    @Test func theWebSocketPathWithoutAnUpgradeIsRefused() async throws {
        try await makeTransport().application.test(.router) { client in
            try expectProblem(try await client.execute(uri: "/v1/sync", method: .get), .unauthorized)
            let response = try await client.execute(
                uri: "/v1/sync", method: .get, headers: [.authorization: "Bearer \(TestToken.device)", .secWebSocketProtocol: "mobilesync.v1"]
            )
            try expectProblem(response, .unsupportedProtocolVersion)
            try expectProblem(try await client.execute(uri: "/v1/sync", method: .post), .methodNotAllowed)
        }
    }

    // MARK: Bodies (ERR-7, LIM-1, ERR-6)

    @Test func malformedJSONIsAMalformedFrame() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            for body in ["{\"mutations\": [", "[]", "\"text\"", ""] {
                try expectProblem(try await push(client, body: body), .malformedFrame)
            }
        }
        #expect(service.effectiveCalls.isEmpty)
    }

    @Test func schemaViolationsListEveryIssue() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let bad = """
                {"mutations": [{"seq": 0, "collection": "Tasks", "record_id": "task-1", "op": "update", "base_version": 1, \
                "fields": {"a": 1}, "client_time": -5}]}
                """
            let problem = try expectProblem(try await push(client, body: bad), .invalidMessage)
            #expect(problem.errors?.map(\.path) == ["mutations[0].seq", "mutations[0].collection", "mutations[0].client_time"])

            let wrongType = #"{"mutations": [{"seq": "one"}]}"#
            let typeProblem = try expectProblem(try await push(client, body: wrongType), .invalidMessage)
            #expect(typeProblem.errors?.map { "\($0.path): \($0.message)" } == [
                "mutations[0].seq: must be an integer", "mutations[0].collection: is required", "mutations[0].record_id: is required",
                "mutations[0].op: is required", "mutations[0].base_version: is required", "mutations[0].client_time: is required",
            ])
        }
        #expect(service.effectiveCalls.isEmpty)
    }

    @Test func unknownFieldsAreIgnored() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/sync/ack", method: .post, headers: .bearer(TestToken.device, json: true),
                body: .json(#"{"cursor":"c_1","future_field":{"x":1}}"#)
            )
            #expect(response.status == .ok)
        }
    }

    @Test func tooManyMutationsIsBatchTooLarge() async throws {
        let mutations = (1...(Limits.maxMutationsPerPush + 1)).map { mutation(seq: $0) }
        try await makeTransport().application.test(.router) { client in
            let problem = try expectProblem(try await push(client, body: wireJSON(PushRequest(mutations: mutations))), .batchTooLarge)
            #expect(problem.errors?.first?.path == "mutations")
        }
    }

    /// Issue 9, defect 2: 8,000 empty objects (24 KB) once cost ~50 s of CPU and a 2.9 MB answer.
    @Test func manyEmptyMutationsAreBatchTooLargeWithBoundedDetails() async throws {
        let body = #"{"mutations":["# + Array(repeating: "{}", count: 8000).joined(separator: ",") + "]}"
        try await makeTransport().application.test(.router) { client in
            let response = try await push(client, body: body)
            #expect(response.body.readableBytes < 64 * 1024)
            let problem = try expectProblem(response, .batchTooLarge)
            #expect(problem.errors?.first?.path == "mutations")
            #expect(problem.errors?.count == WireIssue.reportLimit + 1)
            #expect(problem.errors?.last?.message.hasPrefix("truncated:") == true)
        }
    }

    @Test func oversizedFieldsAreRecordTooLarge() async throws {
        let big: JSONObject = ["text": .string(String(repeating: "x", count: Int(Limits.maxRecordBytes)))]
        try await makeTransport().application.test(.router) { client in
            let problem = try expectProblem(
                try await push(client, body: wireJSON(PushRequest(mutations: [mutation(seq: 1, fields: big)]))), .recordTooLarge
            )
            #expect(problem.errors?.first?.path == "mutations[0].fields")
        }
    }

    @Test func anotherMediaTypeIsUnsupported() async throws {
        try await makeTransport().application.test(.router) { client in
            var headers: HTTPFields = .bearer(TestToken.device)
            headers[.contentType] = "text/plain"
            try expectProblem(try await push(client, body: "{}", headers: headers), .unsupportedMediaType)
            try expectProblem(try await push(client, body: "{}", headers: .bearer(TestToken.device)), .unsupportedMediaType)

            headers[.contentType] = "application/json; charset=utf-8"
            let withCharset = try await push(client, body: wireJSON(PushRequest(mutations: [mutation(seq: 1)])), headers: headers)
            #expect(withCharset.status == .ok)
        }
    }

    @Test func anOversizedBodyIsFrameTooLarge() async throws {
        let service = FakeSyncService()
        let transport = makeTransport(service: service, limits: TransportLimits(maxBodyBytes: 256))
        try await transport.application.test(.router) { client in
            let body = wireJSON(PushRequest(mutations: (1...20).map { mutation(seq: $0) }))
            #expect(body.utf8.count > 256)
            try expectProblem(try await push(client, body: body), .frameTooLarge)
        }
        #expect(service.effectiveCalls.isEmpty)
    }

    @Test func anOversizedBodyIsRefusedWhileStreaming() async throws {
        // Without Content-Length the reader counts bytes as they arrive and stops at the limit.
        let reader = RequestReader(authenticate: TestToken.authenticate, maxBodyBytes: 16, limiter: RateLimiter(settings: .unlimited))
        let chunks = (0..<1000).map { _ in ByteBuffer(string: "0123456789") }
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/sync/ack", headerFields: [.contentType: "application/json"]),
            body: RequestBody(asyncSequence: chunks.asAsyncStream)
        )
        await #expect(throws: ServiceError(.frameTooLarge, "the body is larger than 16 bytes")) {
            _ = try await reader.body(AckRequest.self, of: request)
        }
    }

    // MARK: Retryable errors (ERR-3)

    @Test(arguments: [ErrorCode.unavailable, .internalError, .rateLimited, .idempotencyKeyInFlight])
    func retryableErrorsCarryRetryAfter(code: ErrorCode) async throws {
        let service = FakeSyncService()
        service.fail(.policies, with: ServiceError(code, "try again"))
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies", method: .get, headers: .bearer(TestToken.device))
            let problem = try expectProblem(response, code)
            #expect(problem.retryAfterMs == 1000)
            #expect(response.headers[.retryAfter] == "1")
        }
    }

    @Test func nonRetryableErrorsCarryNoRetryAfter() async throws {
        let service = FakeSyncService()
        service.fail(.review, with: ServiceError(.notFound, "no such review"))
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/reviews/rv_9", method: .get, headers: .bearer(TestToken.operator))
            let problem = try expectProblem(response, .notFound)
            #expect(problem.retryAfterMs == nil)
            #expect(response.headers[.retryAfter] == nil)
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence, for streamed request bodies.
    var asAsyncStream: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
