import HTTPTypes
import HummingbirdTesting
import Logging
import SyncProtocol
@testable import SyncServer
import Testing

/// What an operator can read about each request (issue 12, item 11): one `info` line with the
/// request id, caller, status and duration; refusals with their code; never a token.
@Suite struct AccessLogTests {
    @Test func eachRequestIsOneInfoLineWithCallerStatusAndDuration() async throws {
        let capture = LogCapture()
        try await makeTransport(logger: capture.logger).application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/limits", method: .get, headers: .bearer(TestToken.device))
            #expect(response.status == .ok)
        }
        let lines = capture.lines("request")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.level == .info)
        #expect(line.metadata["method"] == "GET" && line.metadata["path"] == "/v1/limits" && line.metadata["status"] == "200")
        #expect(line.metadata["tenant"] == "tenant-a" && line.metadata["user"] == "user-1" && line.metadata["device"] == "ios-1")
        #expect(line.metadata["hb.request.id"] != nil)
        #expect(line.metadata["duration_ms"].flatMap(Double.init).map { $0 >= 0 } == true)
    }

    @Test func refusalsCarryTheirCodeAndNoTokenIsEverLogged() async throws {
        let capture = LogCapture()
        let secret = "query-token-must-not-be-logged"
        try await makeTransport(logger: capture.logger).application.test(.router) { client in
            _ = try await client.execute(uri: "/v1/sync/pull?token=\(secret)", method: .get)
            _ = try await client.execute(uri: "/v1/limits", method: .get, headers: .bearer("not-a-known-token-\(secret)"))
            _ = try await client.execute(uri: "/v1/analytics", method: .get, headers: .bearer(TestToken.device))
        }
        let refused = capture.lines("request refused")
        #expect(refused.map { $0.metadata["code"] } == ["unauthorized", "unauthorized", "forbidden"])
        #expect(refused.map { $0.metadata["status"] } == ["401", "401", "403"])
        #expect(refused.allSatisfy { $0.level == .info })
        #expect(refused[0].metadata["path"] == "/v1/sync/pull")
        // The token was valid but lacked the role: the caller is known.
        #expect(refused[2].metadata["device"] == "ios-1")
        let everything = capture.records.withLock { $0.map { "\($0.message) \($0.metadata)" } }.joined(separator: "\n")
        #expect(!everything.contains(secret))
        #expect(!everything.contains(TestToken.device))
    }

    @Test func getLimitsAnswersTheAnnouncedLimitsToAnyValidToken() async throws {
        try await makeTransport().application.test(.router) { client in
            for token in [TestToken.device, TestToken.operator, TestToken.userWithoutDevice] {
                let response = try await client.execute(uri: "/v1/limits", method: .get, headers: .bearer(token))
                #expect(response.status == .ok)
                let limits = try decodeBody(ServerLimits.self, response.body)
                #expect(limits == EngineConfiguration().serverLimits)
                #expect(limits.maxIdempotencyKeyLength == 255 && limits.maxListPage == 200 && limits.maxReportedIssues == 100)
            }
            try expectProblem(try await client.execute(uri: "/v1/limits", method: .get), .unauthorized)
            try expectProblem(try await client.execute(uri: "/v1/limits", method: .post, headers: .bearer(TestToken.device)), .methodNotAllowed)
        }
    }
}
