import SyncSpec
import Testing

/// The differ on the protocol header, limits, constraints, errors and requirements, and the
/// version rule that `sync-spec diff` exits by.
@Suite struct DifferRegistryTests {
    let base = DiffFixture.base
    let maxLimit = "max_mutations_per_push: {value: 100, kind: max,"
    let minLimit = "min_retry_seconds: {value: 1, kind: min,"

    @Test func tightenedLimitsBreakAndLoosenedOnesDoNot() throws {
        let lowered = try DiffFixture.diff(to: base.replacing(maxLimit, with: "max_mutations_per_push: {value: 50, kind: max,"))
        // Fields bounded by the limit by name are not reported again.
        #expect(lowered.summary == ["breaking limits.max_mutations_per_push.value"])
        #expect(lowered.changes[0].message.contains("tightened from 100 to 50"))
        let raised = try DiffFixture.diff(to: base.replacing(minLimit, with: "min_retry_seconds: {value: 5, kind: min,"))
        #expect(raised.summary == ["breaking limits.min_retry_seconds.value"])
        let loosenedMax = try DiffFixture.diff(to: base.replacing(maxLimit, with: "max_mutations_per_push: {value: 500, kind: max,"))
        #expect(loosenedMax.summary == ["compatible limits.max_mutations_per_push.value"])
        let loosenedMin = try DiffFixture.diff(to: base.replacing(minLimit, with: "min_retry_seconds: {value: 0, kind: min,"))
        #expect(loosenedMin.summary == ["compatible limits.min_retry_seconds.value"])
    }

    @Test func removedAndAddedLimits() throws {
        let limit = "  min_retry_seconds: {value: 1, kind: min, unit: seconds, description: Shortest wait before a retry.}"
        let removed = try DiffFixture.diff(to: base.removing(limit))
        #expect(removed.summary == ["breaking limits.min_retry_seconds"])
        let added = try DiffFixture.diff(to: base.inserting(
            "  max_frame_bytes: {value: 1048576, kind: max, unit: bytes, description: Largest frame.}", after: limit))
        #expect(added.summary == ["compatible limits.max_frame_bytes"])
    }

    @Test func constraintsBreakWhenTightenedOnWhatClientsSend() throws {
        let recordId = "record_id: {type: string, required: true, max_length: 64,"
        let shorter = try DiffFixture.diff(to: base.replacing(recordId, with: "record_id: {type: string, required: true, max_length: 32,"))
        #expect(shorter.summary == ["breaking schemas.Mutation.fields.record_id.max_length"])
        let pattern = try DiffFixture.diff(to: base.replacing(recordId, with: "record_id: {type: string, required: true, max_length: 64, pattern: '^[a-z0-9]+$',"))
        #expect(pattern.summary == ["breaking schemas.Mutation.fields.record_id.pattern"])
        let longer = try DiffFixture.diff(to: base.replacing(recordId, with: "record_id: {type: string, required: true, max_length: 128,"))
        #expect(longer.summary == ["compatible schemas.Mutation.fields.record_id.max_length"])
        let unbounded = try DiffFixture.diff(to: base.replacing(recordId, with: "record_id: {type: string, required: true,"))
        #expect(unbounded.summary == ["compatible schemas.Mutation.fields.record_id.max_length"])
        let minimum = try DiffFixture.diff(to: base.replacing("limit: {type: int, minimum: 1,", with: "limit: {type: int, minimum: 10,"))
        #expect(minimum.summary == ["breaking endpoints.listResults.query.limit.minimum"])
        // The server sends push_result: a stricter check there only narrows what old clients receive.
        let server = try DiffFixture.diff(to: base.replacing(
            "server_time: {type: int, required: true, format: unix_ms,", with: "server_time: {type: int, required: true, format: unix_ms, minimum: 0,"))
        #expect(server.summary == ["compatible messages.push_result.fields.server_time.minimum"])
        // ...but a looser one lets the server send values old clients' codecs refuse.
        let bounded = try base.replacing(
            "server_time: {type: int, required: true, format: unix_ms,", with: "server_time: {type: int, required: true, format: unix_ms, minimum: 0,")
        #expect(try DiffFixture.diff(bounded, base).summary == ["breaking messages.push_result.fields.server_time.minimum"])
        // The same number written as a literal instead of a limit's name.
        let spelled = try DiffFixture.diff(to: base.replacing(
            "max_items: max_mutations_per_push, description: The batch.}\n      note:",
            with: "max_items: 100, description: The batch.}\n      note:"))
        #expect(spelled.summary == ["cosmetic messages.push.fields.mutations.max_items"])
    }

    @Test func errorCodeChanges() throws {
        let rateLimited = "  rate_limited: {status: 429, retryable: true, title: Too many requests, description: Slow down.}"
        let removed = try DiffFixture.diff(to: base.removing(rateLimited).replacing(
            "errors: [invalid_message, rate_limited]", with: "errors: [invalid_message]"))
        #expect(removed.summary == ["breaking errors.rate_limited", "compatible endpoints.pushBatch.errors.rate_limited"])
        let changed = try DiffFixture.diff(to: base.replacing(
            rateLimited, with: "  rate_limited: {status: 503, retryable: false, close_code: 4429, title: Slow down, description: Slow down.}"))
        #expect(changed.summary == [
            "breaking errors.rate_limited.close_code", "breaking errors.rate_limited.retryable",
            "breaking errors.rate_limited.status", "cosmetic errors.rate_limited.title",
        ])
        #expect(changed.changes(at: "errors.rate_limited.close_code").first?.message
            == "close code of error 'rate_limited' changed from none (connection stays open) to 4429: old peers expect the connection to close (or stay open) as before")
        let added = try DiffFixture.diff(to: base.inserting(
            "  gone: {status: 410, retryable: false, title: Gone, description: No longer there.}", after: rateLimited))
        #expect(added.summary == ["compatible errors.gone"])
    }

    @Test func requirementChanges() throws {
        let push1 = "{id: PUSH-1, level: SHOULD,"
        let raised = try DiffFixture.diff(to: base.replacing(push1, with: "{id: PUSH-1, level: MUST,"))
        #expect(raised.summary == ["breaking requirements.PUSH-1.level"])
        let lowered = try DiffFixture.diff(to: base.replacing(push1, with: "{id: PUSH-1, level: MAY,"))
        #expect(lowered.summary == ["compatible requirements.PUSH-1.level"])
        let reworded = try DiffFixture.diff(to: base.replacing(
            "text: The server MUST answer every push.", with: "text: The server MUST answer every push it receives."))
        #expect(reworded.summary == ["cosmetic requirements.PUSH-2"])
        let removed = try DiffFixture.diff(to: base.removing(
            "  - {id: PUSH-2, level: MUST, title: Answer every push, text: The server MUST answer every push., refs: [message:push_result]}"))
        #expect(removed.summary == ["breaking requirements.PUSH-2"])
    }

    @Test func websocketEndpointChangesBreak() throws {
        let diff = try DiffFixture.diff(to: base
            .replacing("    path: /v1/sync\n", with: "    path: /v2/sync\n")
            .replacing("subprotocol: mobilesync.v1", with: "subprotocol: mobilesync.v2")
            .replacing("title: MobileSync protocol", with: "title: The MobileSync protocol"))
        #expect(diff.summary == ["breaking protocol.websocket.path", "breaking protocol.websocket.subprotocol", "cosmetic protocol.title"])
    }

    @Test func breakingChangesRequireANewMajorVersion() throws {
        let broken = try base.removing("      update: {description: Updates a record.}")
        let sameMajor = try DiffFixture.diff(to: broken.version("1.1.0"))
        #expect(sameMajor.hasBreaking && sameMajor.requiresMajorBump)
        #expect(sameMajor.verdict.contains("raise protocol.version to 2.0.0"))
        let newMajor = try DiffFixture.diff(to: broken.version("2.0.0"))
        #expect(newMajor.hasBreaking && !newMajor.requiresMajorBump)
        #expect(newMajor.verdict.contains("the major version went up (1.0.0 -> 2.0.0)"))
        let compatible = try DiffFixture.diff(to: base.version("1.1.0").inserting(
            "      delete: {description: Deletes a record., since: 1.1.0}", after: "      update: {description: Updates a record.}"))
        #expect(!compatible.hasBreaking && !compatible.requiresMajorBump)
    }

    @Test func changesAreSortedBySeverityThenPath() throws {
        let diff = try DiffFixture.diff(to: base
            .replacing("summary: Answer to ping.", with: "summary: Pong.")
            .inserting("      delete: {description: Deletes a record.}", after: "      update: {description: Updates a record.}")
            .removing("      note: {type: string, description: Free text for logs.}")
            .replacing(maxLimit, with: "max_mutations_per_push: {value: 50, kind: max,"))
        #expect(diff.summary == [
            "breaking limits.max_mutations_per_push.value", "breaking messages.push.fields.note",
            "compatible enums.Operation.values.delete", "cosmetic messages.pong.summary",
        ])
    }
}
