import Foundation

extension VectorSession {
    /// How long a test-control call may take.
    static let controlTimeout: Duration = .seconds(10)

    /// Sends a request, logging it and its response under `connection`.
    func perform(_ request: HTTPRequest, connection: String, on server: TargetServer? = nil,
                 before deadline: ContinuousClock.Instant) async throws(StepFailure) -> HTTPResponse {
        let server = server ?? target
        let via = server.url == target.url ? "" : " (\(server.url))"
        recorder.record(connection, .sent, .httpRequest, "\(request.method) \(request.target)\(via)", headers: request.headers, body: request.body.preview)
        do {
            let response = try await server.client.send(request, before: deadline)
            recorder.record(connection, .received, .httpResponse, "\(response.status) \(response.reason)", headers: response.headers, body: response.body)
            recorder.check(connection, status: response.status, headers: response.headers, body: response.body)
            return response
        } catch {
            recorder.note(connection, "\(error)")
            throw .error("\(request.method) \(request.target): \(error)")
        }
    }

    /// A test-control or operator call for `tenant` that must answer 200; returns the parsed body.
    @discardableResult
    func control(_ method: String, _ path: String, tenant: String, body: JSON? = nil) async throws(StepFailure) -> JSON {
        let token = try await setupToken(tenant)
        var headers = [("Authorization", "Bearer \(token)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(method: method, target: target.basePath + path, headers: headers,
                                  body: body.map { .bytes(Array($0.compact.utf8)) } ?? .none)
        let response = try await perform(request, connection: "setup", before: .now + Self.controlTimeout)
        guard response.status == 200 else {
            throw .error("\(method) \(path) for tenant \(tenant) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return (try? JSON.parse(response.body)) ?? .null
    }

    /// The operator token the runner uses for setup (user `conformance-setup`), valid at the tenant's server time.
    func setupToken(_ tenant: String) async throws(StepFailure) -> String {
        let now = (Int64(Date().timeIntervalSince1970 * 1000) + clockOffset(tenant)) / 1000
        let request = TokenRequest(tenant: tenantIds[tenant] ?? tenant, user: "conformance-setup", roles: ["operator"],
                                   issuedAt: now, expires: now + 3600)
        do {
            return try await tokens.token(request)
        } catch {
            throw .error("cannot get a setup token: \(error)")
        }
    }

    /// The tenant's server time from `GET /v1/test/clock`, remembered for later tokens.
    func readClock(_ tenant: String) async throws(StepFailure) -> Int64 {
        let state = try await control("GET", "/v1/test/clock", tenant: tenant)
        guard let now = state["now_ms"]?.integer else { throw .error("GET /v1/test/clock answered no now_ms: \(state.compact)") }
        setClock(tenant, serverNowMs: now)
        return now
    }

    /// Moves a tenant's clock (`{set_ms}` or `{advance_ms}`).
    func moveClock(_ tenant: String, body: JSON) async throws(StepFailure) {
        let state = try await control("POST", "/v1/test/clock", tenant: tenant, body: body)
        if let now = state["now_ms"]?.integer { setClock(tenant, serverNowMs: now) }
    }

    /// The actor's token, minted at first use against the tenant's server time.
    func token(for name: String) async throws(StepFailure) -> String {
        if let token = cachedToken(name) { return token }
        guard let actor = vector.actor(name) else { throw .error("no actor named '\(name)'") }
        let nowSeconds = try await readClock(actor.tenant) / 1000
        let request = TokenRequest(tenant: tenantIds[actor.tenant] ?? actor.tenant, user: actor.user, device: actor.device,
                                   roles: actor.roles, issuedAt: nowSeconds, expires: nowSeconds + Int64(actor.expiresInS),
                                   notBefore: actor.notBeforeInS.map { nowSeconds + Int64($0) }, claims: actor.claims, forge: actor.forge)
        do {
            let token = try await tokens.token(request)
            cache(token: token, for: name)
            return token
        } catch {
            throw .error("cannot get a token for actor '\(name)': \(error)")
        }
    }

    /// Resets every tenant the vector uses, then applies its setup in the documented order.
    func runSetup() async throws(StepFailure) {
        for tenant in vector.tenants {
            try await control("POST", "/v1/test/reset", tenant: tenant)
            setClock(tenant, serverNowMs: Int64(Date().timeIntervalSince1970 * 1000))
        }
        for setup in vector.setup {
            let scope = scope(nowMs: nil)
            do {
                if let clock = setup.clock { try await moveClock(setup.tenant, body: try Interpolation.apply(clock, scope)) }
                if let policy = setup.defaultPolicy {
                    try await control("PUT", "/v1/policies/default", tenant: setup.tenant, body: try Interpolation.apply(policy, scope))
                }
                for policy in setup.policies {
                    try await control("PUT", "/v1/policies/collections/\(policy.key)", tenant: setup.tenant,
                                      body: try Interpolation.apply(policy.value, scope))
                }
                if let records = setup.records {
                    try await control("POST", "/v1/test/records", tenant: setup.tenant,
                                      body: .object([JSON.Member("records", try Interpolation.apply(records, scope))]))
                }
            } catch let failure as StepFailure {
                throw failure
            } catch {
                throw .error("setup: \(error)")
            }
        }
    }
}
