import HTTPTypes
import HummingbirdTesting
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// Device health, analytics and metrics through the router (AUTH-6, HEALTH-5, HEALTH-6).
@Suite struct RESTHealthRouteTests {
    @Test func aDeviceReadsItsHealthAndOperatorsReadAny() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let own = try await client.execute(uri: "/v1/devices/ios-1/health", method: .get, headers: .bearer(TestToken.device))
            #expect(own.status == .ok)
            let health = try decodeBody(DeviceHealth.self, own.body)
            #expect(health.deviceId == "ios-1" && health.validate().isEmpty)
            let other = try await client.execute(uri: "/v1/devices/ios.2:x/health", method: .get, headers: .bearer(TestToken.operator))
            #expect(other.status == .ok)
            let missing = try await client.execute(uri: "/v1/devices/bad%20id/health", method: .get, headers: .bearer(TestToken.operator))
            try expectProblem(missing, .notFound)
            try expectProblem(try await client.execute(uri: "/v1/devices/ios-1/health", method: .get), .unauthorized)
        }
        #expect(service.calls == [.deviceHealth(deviceId: "ios-1"), .deviceHealth(deviceId: "ios.2:x")])
    }

    @Test func theServiceDecidesWhoMayReadWhichDevice() async throws {
        let service = FakeSyncService()
        service.fail(.deviceHealth, with: ServiceError(.forbidden, "not yours"))
        try await makeTransport(service: service).application.test(.router) { client in
            _ = try expectProblem(try await client.execute(uri: "/v1/devices/ios-2/health", method: .get, headers: .bearer(TestToken.device)), .forbidden)
        }
    }

    @Test func listsAndAnalyticsNeedTheOperatorRole() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            for uri in ["/v1/devices/health", "/v1/analytics"] {
                try expectProblem(try await client.execute(uri: uri, method: .get, headers: .bearer(TestToken.device)), .forbidden)
            }
        }
        #expect(service.calls.isEmpty)
    }

    @Test func listParametersAreValidated() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let page = try await client.execute(uri: "/v1/devices/health?alert_level=warning&cursor=d_aW9zLTE&limit=5", method: .get,
                                                headers: .bearer(TestToken.operator))
            #expect(page.status == .ok)
            #expect(try decodeBody(DeviceHealthPage.self, page.body).validate().isEmpty)
            for query in ["alert_level=bad", "limit=0", "limit=201", "cursor=a.b"] {
                let response = try await client.execute(uri: "/v1/devices/health?\(query)", method: .get, headers: .bearer(TestToken.operator))
                #expect(response.status.code == 400, "\(query)")
            }
        }
        #expect(service.calls == [.deviceHealthList(alertLevel: .warning, cursor: "d_aW9zLTE", limit: 5)])
    }

    @Test func analyticsParametersAreValidated() async throws {
        let service = FakeSyncService()
        try await makeTransport(service: service).application.test(.router) { client in
            let analytics = try await client.execute(uri: "/v1/analytics?from=1000&to=2000", method: .get, headers: .bearer(TestToken.operator))
            #expect(analytics.status == .ok)
            #expect(try decodeBody(TenantAnalytics.self, analytics.body).validate().isEmpty)
            _ = try await client.execute(uri: "/v1/analytics", method: .get, headers: .bearer(TestToken.operator))
            for query in ["from=-1", "to=x", "from=1.5"] {
                try expectProblem(try await client.execute(uri: "/v1/analytics?\(query)", method: .get, headers: .bearer(TestToken.operator)), .invalidMessage)
            }
        }
        #expect(service.calls == [.tenantAnalytics(from: 1000, to: 2000), .tenantAnalytics(from: nil, to: nil)])
    }

    @Test func metricsAreServedWithoutAuthenticationInTextFormat004() async throws {
        try await makeTransport().application.test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let samples = try PrometheusText.parse(String(buffer: response.body))
            #expect(samples.contains { $0.name == "mobilesync_websocket_sessions" && $0.value == 0 })
            #expect(samples.contains { $0.name == "mobilesync_syncs_total" && $0.labels == ["result": "failure"] })
            let post = try await client.execute(uri: "/metrics", method: .post)
            try expectProblem(post, .methodNotAllowed)
        }
    }
}
