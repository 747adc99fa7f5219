import HTTPTypes
import HummingbirdTesting
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// Policies, reviews and test control through the router.
@Suite struct RESTAdminRouteTests {
    @Test func anyTokenReadsPolicies() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            for token in [TestToken.device, TestToken.userWithoutDevice, TestToken.operator] {
                let response = try await client.execute(uri: "/v1/policies", method: .get, headers: .bearer(token))
                #expect(response.status == .ok)
                #expect(try decodeBody(TenantPolicies.self, response.body) == FakeSyncService.policies)
            }
        }
        #expect(service.calls == [.policies, .policies, .policies])
    }

    @Test func operatorsChangePolicies() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let headers = HTTPFields.bearer(TestToken.operator, json: true)
            let setDefault = try await client.execute(
                uri: "/v1/policies/default", method: .put, headers: headers, body: .json(#"{"strategy":"client_wins"}"#)
            )
            #expect(setDefault.status == .ok)
            #expect(try decodeBody(TenantPolicies.self, setDefault.body).defaultStrategy == .clientWins)

            let setCollection = try await client.execute(
                uri: "/v1/policies/collections/tasks", method: .put, headers: headers,
                body: .json(#"{"strategy":"preserve_escalation","escalation":{"priority":["low","high"]}}"#)
            )
            #expect(setCollection.status == .ok)

            let delete = try await client.execute(uri: "/v1/policies/collections/tasks", method: .delete, headers: .bearer(TestToken.operator))
            #expect(delete.status == .ok)
        }
        #expect(service.calls == [
            .setDefaultPolicy(DefaultPolicyRequest(strategy: .clientWins)),
            .setCollectionPolicy(collection: "tasks", CollectionPolicy(strategy: .preserveEscalation, escalation: ["priority": ["low", "high"]])),
            .deleteCollectionPolicy(collection: "tasks"),
        ])
    }

    @Test func changingPoliciesNeedsTheOperatorRole() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/policies/default", method: .put, headers: .bearer(TestToken.device, json: true), body: .json(#"{"strategy":"client_wins"}"#)
            )
            try expectProblem(response, .forbidden)
            try expectProblem(try await client.execute(uri: "/v1/reviews", method: .get, headers: .bearer(TestToken.device)), .forbidden)
        }
        #expect(service.calls.isEmpty)
    }

    @Test func anInvalidCollectionNameIsRefused() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/policies/collections/Tasks", method: .delete, headers: .bearer(TestToken.operator))
            let problem = try expectProblem(response, .invalidMessage)
            #expect(problem.errors?.map(\.path) == ["collection"])
        }
    }

    @Test func anUnknownStrategyIsAnInvalidMessage() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/policies/default", method: .put, headers: .bearer(TestToken.operator, json: true), body: .json(#"{"strategy":"coin_flip"}"#)
            )
            try expectProblem(response, .invalidMessage)
        }
    }

    @Test func reviewsAreListedWithTheirFilters() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/reviews?status=pending&collection=tasks&cursor=rv_0&limit=20", method: .get, headers: .bearer(TestToken.operator)
            )
            #expect(response.status == .ok)
            #expect(try decodeBody(ReviewPage.self, response.body).reviews == [FakeSyncService.reviewItem])

            let bad = try await client.execute(uri: "/v1/reviews?status=open&limit=201", method: .get, headers: .bearer(TestToken.operator))
            let problem = try expectProblem(bad, .invalidMessage)
            #expect(problem.errors?.map(\.path) == ["status", "limit"])
        }
        #expect(service.calls == [.reviews(status: .pending, collection: "tasks", cursor: "rv_0", limit: 20)])
    }

    @Test func aReviewIsReadAndResolved() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let read = try await client.execute(uri: "/v1/reviews/rv_1", method: .get, headers: .bearer(TestToken.operator))
            #expect(read.status == .ok)
            #expect(try decodeBody(ReviewItem.self, read.body).reviewId == "rv_1")

            let resolved = try await client.execute(
                uri: "/v1/reviews/rv_1/resolve", method: .post, headers: .bearer(TestToken.operator, json: true), body: .json(#"{"choice":"keep_server"}"#)
            )
            #expect(resolved.status == .ok)
            #expect(try decodeBody(ReviewResolution.self, resolved.body).review.status == .resolved)

            let impossible = try await client.execute(uri: "/v1/reviews/rv%201", method: .get, headers: .bearer(TestToken.operator))
            try expectProblem(impossible, .notFound)
        }
        #expect(service.calls == [.review(id: "rv_1"), .resolveReview(id: "rv_1", ResolveReviewRequest(choice: .keepServer))])
    }

    @Test func aResolvedReviewIsAConflict() async throws {
        let service = FakeSyncService()
        service.fail(.resolveReview, with: ServiceError(.reviewAlreadyResolved, "already resolved"))
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/reviews/rv_1/resolve", method: .post, headers: .bearer(TestToken.operator, json: true), body: .json(#"{"choice":"take_client"}"#)
            )
            try expectProblem(response, .reviewAlreadyResolved)
        }
    }

    // MARK: Test control (TEST-1)

    private static let testControlRequests: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/v1/test/reset", nil),
        (.post, "/v1/test/records", #"{"records":[{"collection":"tasks","id":"task-1","fields":{"title":"x"}}]}"#),
        (.post, "/v1/test/clock", #"{"advance_ms":60000}"#),
        (.get, "/v1/test/clock", nil),
    ]

    @Test func testControlIsNotFoundWhenDisabled() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service, testControl: false).application.test(.router) { client in
            for (method, path, body) in Self.testControlRequests {
                let response = try await client.execute(
                    uri: path, method: method, headers: .bearer(TestToken.device, json: true), body: body.map { .json($0) }
                )
                let problem = try expectProblem(response, .notFound)
                #expect(problem.detail == "no such path", "exactly like an unknown path")
            }
        }
        #expect(service.calls.isEmpty)
    }

    @Test func testControlWorksWhenEnabled() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service, testControl: true).application.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for (method, path, body) in Self.testControlRequests {
                let response = try await client.execute(
                    uri: path, method: method, headers: .bearer(TestToken.userWithoutDevice, json: true), body: body.map { .json($0) }
                )
                statuses.append(response.status)
            }
            #expect(statuses == [.ok, .ok, .ok, .ok])

            let unauthenticated = try await client.execute(uri: "/v1/test/clock", method: .get)
            try expectProblem(unauthenticated, .unauthorized)
            let both = try await client.execute(
                uri: "/v1/test/clock", method: .post, headers: .bearer(TestToken.device, json: true), body: .json(#"{"set_ms":"soon"}"#)
            )
            try expectProblem(both, .invalidMessage)
        }
        #expect(service.calls == [
            .resetTenant,
            .seedRecords(SeedRecordsRequest(records: [SeedRecord(collection: "tasks", id: "task-1", fields: ["title": "x"])])),
            .setClock(ClockRequest(advanceMs: 60_000)),
            .clock,
        ])
        #expect(service.principals.allSatisfy { $0 == TestToken.userPrincipal })
    }
}
