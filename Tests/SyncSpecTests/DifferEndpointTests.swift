import SyncSpec
import Testing

/// The differ on REST endpoints: operation ids are identity; clients send parameters, headers
/// and request bodies, the server sends responses.
@Suite struct DifferEndpointTests {
    let base = DiffFixture.base
    let health = "  health: {method: GET, path: /health, summary: Liveness., description: Always 200 when up., auth: none, responses: {200: {description: Up.}}}"

    @Test func removedAndAddedEndpoints() throws {
        let removed = try DiffFixture.diff(to: base.removing(health))
        #expect(removed.summary == ["breaking endpoints.health"])
        #expect(removed.changes[0].message.contains("GET /health"))
        let added = try DiffFixture.diff(to: base.inserting(
            "  ready: {method: GET, path: /ready, summary: Readiness., description: 200 when ready., auth: none, responses: {200: {description: Ready.}}}",
            after: health))
        #expect(added.summary == ["compatible endpoints.ready"])
    }

    @Test func methodPathAndAuthChanges() throws {
        let moved = try DiffFixture.diff(to: base.replacing(
            "health: {method: GET, path: /health,", with: "health: {method: POST, path: /v1/health,"))
        #expect(moved.summary == ["breaking endpoints.health.method", "breaking endpoints.health.path"])
        let secured = try DiffFixture.diff(to: base.replacing("auth: none,", with: "auth: bearer,"))
        #expect(secured.summary == ["breaking endpoints.health.auth"])
        let opened = try DiffFixture.diff(to: base.replacing(
            "    path: /v1/sync/push\n", with: "    path: /v1/sync/push\n    auth: none\n"))
        #expect(opened.summary == ["compatible endpoints.pushBatch.auth"])
    }

    @Test func parametersAndHeadersAreWhatClientsSend() throws {
        let cursor = "      cursor: {type: string, description: Where to start.}"
        let requiredQuery = try DiffFixture.diff(to: base.inserting(
            "      tenant: {type: string, required: true, description: The tenant.}", after: cursor))
        #expect(requiredQuery.summary == ["breaking endpoints.listResults.query.tenant"])
        let optionalQuery = try DiffFixture.diff(to: base.inserting(
            "      order: {type: string, description: Sort order.}", after: cursor))
        #expect(optionalQuery.summary == ["compatible endpoints.listResults.query.order"])
        let header = try DiffFixture.diff(to: base.inserting(
            "      X-Device: {type: string, required: true, description: The device.}",
            after: "      Idempotency-Key: {type: string, required: true, max_length: 255, description: Makes retries safe.}"))
        #expect(header.summary == ["breaking endpoints.pushBatch.headers.X-Device"])
        // Header names are case-insensitive in HTTP.
        let recased = try DiffFixture.diff(to: base.replacing("      Idempotency-Key:", with: "      idempotency-key:"))
        #expect(recased.changes.isEmpty)
    }

    @Test func requestAndResponseBodies() throws {
        let request = try DiffFixture.diff(to: base.replacing("      schema: PushRequest\n", with: "      schema: \"[Mutation]\"\n"))
        #expect(request.summary == ["breaking endpoints.pushBatch.request.schema"])
        let statuses = try DiffFixture.diff(to: base.replacing("responses: {200: {description: Up.}}", with: "responses: {204: {description: Up.}}"))
        #expect(statuses.summary == ["breaking endpoints.health.responses.200", "compatible endpoints.health.responses.204"])
        let body = try DiffFixture.diff(to: base.replacing(
            "responses: {200: {description: Up.}}", with: "responses: {200: {description: Up., schema: PushResult}}"))
        #expect(body.summary == ["compatible endpoints.health.responses.200"])
        let header = try DiffFixture.diff(to: base.removing(
            "        headers:\n          Idempotent-Replayed: {type: string, description: Present on replays.}"))
        #expect(header.summary == ["breaking endpoints.pushBatch.responses.200.headers.Idempotent-Replayed"])
    }

    @Test func typesReachedOnlyFromResponsesAreWhatTheServerSends() throws {
        let old = try base
            .inserting("  HealthState:\n    description: How the server is.\n    values:\n      up: {description: Serving.}", after: "enums:")
            .inserting("  Health:\n    description: Health report.\n    fields:\n      state: {type: HealthState, required: true, description: The state.}\n    examples:\n      - {state: up}",
                       after: "schemas:")
            .replacing("responses: {200: {description: Up.}}", with: "responses: {200: {description: Up., schema: Health}}")
        let diff = try DiffFixture.diff(old, old.inserting("      degraded: {description: Slow.}", after: "      up: {description: Serving.}"))
        #expect(diff.summary == ["breaking enums.HealthState.values.degraded"])
        // `Problem` is what every REST error carries.
        let problem = try DiffFixture.diff(to: base.replacing(
            "code: {type: string, required: true, description: The error code.}\n    examples:\n      - {type: \"about:blank\"",
            with: "code: {type: string, description: The error code.}\n    examples:\n      - {type: \"about:blank\""))
        #expect(problem.summary == ["breaking schemas.Problem.fields.code.required"])
    }

    @Test func endpointErrorListChangesAreCompatible() throws {
        let diff = try DiffFixture.diff(to: base.replacing(
            "errors: [invalid_message, rate_limited]", with: "errors: [invalid_message, malformed_frame]"))
        #expect(diff.summary == ["compatible endpoints.pushBatch.errors.malformed_frame", "compatible endpoints.pushBatch.errors.rate_limited"])
    }
}
