import Foundation
import SyncProtocol
import SyncServer
import Testing

extension FaultInjectionTests {
    /// The authentication, tenancy and error faults of `fault-injection-server` change what the
    /// server answers, and the faithful server (`--fault none`) answers the same exchange as the
    /// spec says.
    @Suite("fault-injection-server: access and error faults")
    struct AccessFaults {
        @Test("tenant-leak: another tenant's record is pulled (TEN-1)")
        func tenantLeak() async throws {
            let (reference, faulty) = try await FaultServer.compare("tenant-leak") { server in
                _ = try await server.push([FaultServer.create(1, "secret")], key: "k1", token: try await server.token(tenant: "acme", device: "phone"))
                return try await FaultServer.pull(server, token: try await server.token(tenant: "globex", device: "phone")).page?.changes.map(\.record.id)
            }
            #expect(reference == [])
            #expect(faulty == ["secret"])
        }

        @Test("cursor-not-tenant-checked: another tenant's cursor is accepted (TEN-2, PULL-5)")
        func cursorNotTenantChecked() async throws {
            let (reference, faulty) = try await FaultServer.compare("cursor-not-tenant-checked") { server in
                let acme = try await server.token(tenant: "acme", device: "phone")
                _ = try await server.push([FaultServer.create(1, "a")], key: "k1", token: acme)
                let cursor = try #require(try await FaultServer.pull(server, token: acme).page?.cursor)
                let globex = try await server.token(tenant: "globex", device: "phone")
                _ = try await server.push([FaultServer.create(1, "b")], key: "k1", token: globex)
                let pull = try await FaultServer.pull(server, token: globex, cursor: cursor)
                return pull.code ?? pull.page?.changes.map(\.record.id).joined(separator: ",")
            }
            #expect(reference == "invalid_cursor")
            #expect(faulty == "b")
        }

        @Test("operator-role-not-checked: a device token changes the default policy (AUTH-6)")
        func operatorRoleNotChecked() async throws {
            let (reference, faulty) = try await FaultServer.compare("operator-role-not-checked") { server in
                let device = try await server.token(tenant: "acme", device: "phone")
                let response = try await server.http("PUT", "v1/policies/default", token: device,
                                                     body: WireCodec.encode(DefaultPolicyRequest(strategy: .clientWins)))
                return FaultServer.problemCode(response.body) ?? "status \(response.status)"
            }
            #expect(reference == "forbidden")
            #expect(faulty == "status 200")
        }

        @Test("expired-token-accepted: a token that expired 10 seconds ago is accepted (AUTH-4)")
        func expiredTokenAccepted() async throws {
            let (reference, faulty) = try await FaultServer.compare("expired-token-accepted") { server in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let expired = try await server.issuer.mint(tenant: "acme", user: "alice", device: "phone", ttlSeconds: 60, nowMilliseconds: now - 70_000)
                let response = try await server.http("GET", "v1/sync/cursor", token: expired)
                return FaultServer.problemCode(response.body) ?? "status \(response.status)"
            }
            #expect(reference == "token_expired")
            #expect(faulty == "status 200")
        }

        @Test("wrong-error-status: a body that is not JSON is answered 500 internal_error (ERR-7)")
        func wrongErrorStatus() async throws {
            let (reference, faulty) = try await FaultServer.compare("wrong-error-status") { server in
                let token = try await server.token(tenant: "acme", device: "phone")
                let response = try await server.http("POST", "v1/sync/push", token: token, body: Data("{\"mutations\": [".utf8),
                                                     headers: ["Idempotency-Key": "k1"])
                let wellFormed = try await server.push([FaultServer.create(1, "a")], key: "k2", token: token)
                return "\(response.status) \(FaultServer.problemCode(response.body) ?? "-"), then \(wellFormed.status)"
            }
            #expect(reference == "400 malformed_frame, then 200")
            #expect(faulty == "500 internal_error, then 200")
        }
    }
}
