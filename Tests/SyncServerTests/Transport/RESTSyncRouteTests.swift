import HTTPTypes
import HummingbirdTesting
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// `pushBatch`, `pullChanges`, `ackCursor`, `getCursor` and `/health` through the router.
@Suite struct RESTSyncRouteTests {
    @Test func healthNeedsNoTokenAndReportsTheProtocol() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let health = try decodeBody(HealthStatus.self, response.body)
            #expect(health == HealthStatus(status: .ok, version: "0.1.0", protocolVersion: ProtocolInfo.version, database: .ok))
        }
    }

    @Test func healthIs503WhenTheDatabaseIsUnavailable() async throws {
        let transport = SyncTransport(
            service: FakeSyncService(), authenticate: TestToken.authenticate,
            configuration: TransportConfiguration(port: 0, databaseStatus: { .unavailable })
        )
        try await transport.application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(try decodeBody(HealthStatus.self, response.body).status == .unavailable)
        }
    }

    @Test func pushAppliesTheBatchWithTheHeaderKey() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            headers[.idempotencyKey] = "5f0c2a8e-9b1d-4c3e"
            let body = wireJSON(PushRequest(mutations: [mutation(seq: 42), mutation(seq: 43, recordId: "task-2")]))
            let response = try await client.execute(uri: "/v1/sync/push", method: .post, headers: headers, body: .json(body))
            #expect(response.status == .ok)
            #expect(response.headers[.idempotentReplayed] == nil)
            let result = try decodeBody(PushResult.self, response.body)
            #expect(result.results.map(\.seq) == [42, 43])
            #expect(result.replayed == false)
        }
        #expect(service.calls == [.push(idempotencyKey: "5f0c2a8e-9b1d-4c3e", mutations: [mutation(seq: 42), mutation(seq: 43, recordId: "task-2")], sessionId: nil)])
        #expect(service.principals == [TestToken.devicePrincipal])
    }

    @Test func pushAcceptsTheQuotedKeyForm() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            headers[.idempotencyKey] = "\"key-1\""
            let response = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: .json(wireJSON(PushRequest(mutations: [mutation(seq: 1)])))
            )
            #expect(response.status == .ok)
        }
        #expect(service.calls.first == .push(idempotencyKey: "key-1", mutations: [mutation(seq: 1)], sessionId: nil))
    }

    @Test func aReplayIsMarkedWithIdempotentReplayed() async throws {
        let service = FakeSyncService()
        service.replay(key: "key-1")
        try await makeTransport(service: service).application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            headers[.idempotencyKey] = "key-1"
            let response = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: .json(wireJSON(PushRequest(mutations: [mutation(seq: 1)])))
            )
            #expect(response.status == .ok)
            #expect(response.headers[.idempotentReplayed] == "true")
            #expect(try decodeBody(PushResult.self, response.body).replayed)
        }
    }

    @Test(arguments: [nil, "", "\"\""])
    func pushWithoutKeyIsRefused(key: String?) async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            if let key { headers[.idempotencyKey] = key }
            let response = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: .json(wireJSON(PushRequest(mutations: [mutation(seq: 1)])))
            )
            try expectProblem(response, .idempotencyKeyMissing)
        }
        // Refused before the engine, yet a failed sync of the device (HEALTH-1).
        #expect(service.calls == [.pushRefused(.idempotencyKeyMissing)])
    }

    @Test func pushWithAnInvalidKeyIsAnInvalidMessage() async throws {
        try await makeTransport().application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            headers[.idempotencyKey] = "has space"
            let response = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: .json(wireJSON(PushRequest(mutations: [mutation(seq: 1)])))
            )
            let problem = try expectProblem(response, .invalidMessage)
            #expect(problem.errors?.map(\.path) == ["Idempotency-Key"])
        }
    }

    @Test func serviceErrorsBecomeProblemsWithTheirFields() async throws {
        let service = FakeSyncService()
        service.fail(.push, with: ServiceError(.sequenceGap, "expected 42", expectedSeq: 42, retryAfterMilliseconds: 1500))
        try await makeTransport(service: service).application.test(.router) { client in
            var headers = HTTPFields.bearer(TestToken.device, json: true)
            headers[.idempotencyKey] = "key-1"
            let response = try await client.execute(
                uri: "/v1/sync/push", method: .post, headers: headers, body: .json(wireJSON(PushRequest(mutations: [mutation(seq: 44)])))
            )
            let problem = try expectProblem(response, .sequenceGap)
            #expect(problem.expectedSeq == 42)
            #expect(problem.retryAfterMs == 1500)
            #expect(problem.detail == "expected 42")
            #expect(response.headers[.retryAfter] == "2")
        }
    }

    @Test func pullPassesValidatedQueryParameters() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/sync/pull?cursor=c_2a&limit=200&collections=tasks,notes", method: .get, headers: .bearer(TestToken.device)
            )
            #expect(response.status == .ok)
            let page = try decodeBody(ChangePage.self, response.body)
            #expect(page.cursor == "c_2b")
        }
        #expect(service.calls == [.pull(cursor: "c_2a", limit: 200, collections: ["tasks", "notes"])])
    }

    @Test func pullWithoutParametersReadsFromTheStart() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/sync/pull", method: .get, headers: .bearer(TestToken.device))
            #expect(response.status == .ok)
        }
        #expect(service.calls == [.pull(cursor: nil, limit: nil, collections: nil)])
    }

    @Test func pullRefusesBadParametersWithEveryIssue() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/sync/pull?limit=1001&collections=Tasks", method: .get, headers: .bearer(TestToken.device)
            )
            let problem = try expectProblem(response, .invalidMessage)
            #expect(problem.errors?.map(\.path) == ["limit", "collections"])

            let notANumber = try await client.execute(uri: "/v1/sync/pull?limit=ten", method: .get, headers: .bearer(TestToken.device))
            try expectProblem(notANumber, .invalidMessage)
        }
        #expect(service.calls.isEmpty)
    }

    @Test func aMalformedCursorIsAnInvalidCursor() async throws {
        try await makeTransport().application.test(.router) { client in
            let long = String(repeating: "c", count: Int(Limits.maxCursorLength) + 1)
            for cursor in ["c%20x", long] {
                let response = try await client.execute(uri: "/v1/sync/pull?cursor=\(cursor)", method: .get, headers: .bearer(TestToken.device))
                let problem = try expectProblem(response, .invalidCursor)
                #expect(problem.errors?.first?.path == "cursor")
            }
        }
    }

    @Test func ackStoresTheCursorAndGetCursorReadsIt() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let acked = try await client.execute(
                uri: "/v1/sync/ack", method: .post, headers: .bearer(TestToken.device, json: true), body: .json(#"{"cursor":"c_2d"}"#)
            )
            #expect(acked.status == .ok)
            #expect(try decodeBody(AckResult.self, acked.body) == AckResult(cursor: "c_2d"))

            let read = try await client.execute(uri: "/v1/sync/cursor", method: .get, headers: .bearer(TestToken.device))
            #expect(read.status == .ok)
            #expect(try decodeBody(AckResult.self, read.body) == AckResult(cursor: "c_29"))
        }
        #expect(service.calls == [.acknowledge(cursor: "c_2d"), .acknowledgedCursor])
    }

    @Test func ackWithABadCursorIsAnInvalidCursor() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/sync/ack", method: .post, headers: .bearer(TestToken.device, json: true), body: .json(#"{"cursor":"not a cursor"}"#)
            )
            try expectProblem(response, .invalidCursor)
        }
    }

    @Test func syncEndpointsNeedADeviceToken() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let pull = try await client.execute(uri: "/v1/sync/pull", method: .get, headers: .bearer(TestToken.userWithoutDevice))
            try expectProblem(pull, .forbidden)
            let cursor = try await client.execute(uri: "/v1/sync/cursor", method: .get, headers: .bearer(TestToken.operator))
            try expectProblem(cursor, .forbidden)
        }
        #expect(service.calls.isEmpty)
    }
}
