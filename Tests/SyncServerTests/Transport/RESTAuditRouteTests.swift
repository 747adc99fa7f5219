import HTTPTypes
import HummingbirdTesting
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// `GET /v1/audit` (`listAuditLog`, CONF-13) through the router.
@Suite struct RESTAuditRouteTests {
    @Test func operatorsListTheAuditLogWithItsFilters() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/audit?collection=tasks&record_id=task-1&cursor=ac_0&limit=20", method: .get, headers: .bearer(TestToken.operator)
            )
            #expect(response.status == .ok)
            let page = try decodeBody(AuditPage.self, response.body)
            #expect(page.entries.map(\.recordId) == ["task-1"] && !page.hasMore)

            let plain = try await client.execute(uri: "/v1/audit", method: .get, headers: .bearer(TestToken.operator))
            #expect(plain.status == .ok)
        }
        #expect(service.calls == [
            .auditLog(collection: "tasks", recordId: "task-1", cursor: "ac_0", limit: 20),
            .auditLog(collection: nil, recordId: nil, cursor: nil, limit: nil),
        ])
    }

    @Test func invalidParametersAreAllListed() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let bad = try await client.execute(
                uri: "/v1/audit?collection=Tasks&record_id=a%20b&limit=201", method: .get, headers: .bearer(TestToken.operator)
            )
            let problem = try expectProblem(bad, .invalidMessage)
            #expect(Set(problem.errors?.map(\.path) ?? []) == ["collection", "record_id", "limit"])
            let zero = try await client.execute(uri: "/v1/audit?limit=0", method: .get, headers: .bearer(TestToken.operator))
            try expectProblem(zero, .invalidMessage)
        }
        #expect(service.calls.isEmpty)
    }

    @Test func devicesAndAnonymousCallersAreRefused() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            for token in [TestToken.device, TestToken.userWithoutDevice] {
                try expectProblem(try await client.execute(uri: "/v1/audit", method: .get, headers: .bearer(token)), .forbidden)
            }
            try expectProblem(try await client.execute(uri: "/v1/audit", method: .get), .unauthorized)
            let post = try await client.execute(uri: "/v1/audit", method: .post, headers: .bearer(TestToken.operator))
            try expectProblem(post, .methodNotAllowed)
            #expect(post.headers[.allow] == "GET")
        }
        #expect(service.calls.isEmpty)
    }

    @Test func serviceErrorsBecomeProblems() async throws {
        let service = FakeSyncService()
        service.fail(.auditLog, with: ServiceError(.invalidCursor, "not ours"))
        try await makeTransport(service: service).application.test(.router) { client in
            try expectProblem(try await client.execute(uri: "/v1/audit?cursor=ac_x", method: .get, headers: .bearer(TestToken.operator)), .invalidCursor)
        }
    }
}
