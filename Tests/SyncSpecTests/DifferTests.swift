import SyncSpec
import Testing

/// The differ on messages, schemas, fields and enums: one targeted edit of the base spec each.
@Suite struct DifferTests {
    let base = DiffFixture.base

    @Test func baseFixtureLoadsWithoutDiagnostics() throws {
        let spec = try base.load()
        #expect(spec.version == SemanticVersion(1, 0, 0))
        #expect(spec.websocket.subprotocol == "mobilesync.v1")
        for code in ["malformed_frame", "unknown_message_type", "invalid_message"] {
            #expect(spec.error(code: code) != nil)
        }
        #expect(spec.limits.count == 2 && spec.requirements.count == 2 && spec.enums.count == 2)
        #expect(spec.schemas.count == 5 && spec.messages.count == 5 && spec.endpoints.count == 3)
        #expect(spec.messages.allSatisfy { !$0.examples.isEmpty })
    }

    @Test func identicalSpecsHaveNoChanges() throws {
        let diff = try DiffFixture.diff(to: base)
        #expect(diff.changes.isEmpty)
        #expect(!diff.hasBreaking && !diff.requiresMajorBump)
        #expect(diff.verdict == "No changes.")
    }

    @Test func removedMessageBreaks() throws {
        let diff = try DiffFixture.diff(to: base.removing(
            "  ping: {direction: client, summary: Keep the connection alive., description: Answered with pong., replies: [pong], examples: [{type: ping}]}"))
        #expect(diff.summary == ["breaking messages.ping"])
        #expect(diff.changes[0].location == nil)
    }

    @Test func removedFieldBreaks() throws {
        let diff = try DiffFixture.diff(to: base.removing("      note: {type: string, description: Free text for logs.}"))
        #expect(diff.summary == ["breaking messages.push.fields.note"])
    }

    @Test func changedFieldTypeBreaks() throws {
        let diff = try DiffFixture.diff(to: base.replacing(
            "record_id: {type: string, required: true, max_length: 64,", with: "record_id: {type: int, required: true,"))
        #expect(diff.summary.first == "breaking schemas.Mutation.fields.record_id.type")
        #expect(diff.changes[0].message.contains("from string to int"))
        #expect(diff.changes[0].location?.line == 42)
    }

    @Test func optionalMadeRequiredBreaksOnlyWhatClientsSend() throws {
        let client = try DiffFixture.diff(to: base.replacing(
            "note: {type: string, description", with: "note: {type: string, required: true, description"))
        #expect(client.summary == ["breaking messages.push.fields.note.required"])
        let server = try DiffFixture.diff(to: base.replacing(
            "message: {type: string, description", with: "message: {type: string, required: true, description"))
        #expect(server.summary == ["compatible messages.error.fields.message.required"])
    }

    @Test func requiredMadeOptionalBreaksOnlyWhatServersSend() throws {
        let server = try DiffFixture.diff(to: base.replacing(
            "server_time: {type: int, required: true,", with: "server_time: {type: int,"))
        #expect(server.summary == ["breaking messages.push_result.fields.server_time.required"])
        let client = try DiffFixture.diff(to: base.replacing(
            "request_id: {type: string, required: true, max_length: 64,", with: "request_id: {type: string, max_length: 64,"))
        #expect(client.summary == ["compatible messages.push.fields.request_id.required"])
    }

    @Test func newRequiredFieldBreaksWhereClientsSendIt() throws {
        let field = "      device: {type: string, required: true, description: The device.}"
        let message = try DiffFixture.diff(to: base.inserting(field, after: "      note: {type: string, description: Free text for logs.}"))
        #expect(message.summary == ["breaking messages.push.fields.device"])
        // PushRequest is only reached from a REST request body: clients send it.
        let schema = try DiffFixture.diff(to: base.inserting(
            field, after: "  PushRequest:\n    description: A batch of mutations over REST.\n    fields:"))
        #expect(schema.summary == ["breaking schemas.PushRequest.fields.device"])
        let server = try DiffFixture.diff(to: base.inserting(
            "      node: {type: string, required: true, description: The node.}",
            after: "      server_time: {type: int, required: true, format: unix_ms, description: When the server applied the batch.}"))
        #expect(server.summary == ["compatible messages.push_result.fields.node"])
    }

    @Test func newOptionalFieldIsCompatible() throws {
        let diff = try DiffFixture.diff(to: base.version("1.1.0").inserting(
            "      tags: {type: \"[string]\", since: 1.1.0, description: Labels.}",
            after: "      note: {type: string, description: Free text for logs.}"))
        #expect(diff.summary == ["compatible messages.push.fields.tags"])
        #expect(diff.changes[0].message == "new optional field 'tags'")
        #expect(diff.changes[0].location?.line == 85)
    }

    @Test func newMessageIsCompatibleAndNotedWithoutALaterSince() throws {
        let message = "  resync: {direction: server, summary: Start over., description: Sent after data loss., since: 1.1.0, examples: [{type: resync}]}"
        let anchor = "  pong: {direction: server, summary: Answer to ping., description: Sent for every ping., examples: [{type: pong}]}"
        let negotiated = try DiffFixture.diff(to: base.version("1.1.0").inserting(message, after: anchor))
        #expect(negotiated.summary == ["compatible messages.resync"])
        #expect(!negotiated.changes[0].message.contains("since"))
        #expect(negotiated.verdict == "No breaking changes (1.0.0 -> 1.1.0).")
        let unmarked = try DiffFixture.diff(to: base.inserting(message.replacingOccurrences(of: " since: 1.1.0,", with: ""), after: anchor))
        #expect(unmarked.summary == ["compatible messages.resync"])
        #expect(unmarked.changes[0].message.contains("since 1.0.0 is not later than the old version 1.0.0"))
        #expect(unmarked.verdict.contains("protocol.version did not go up"))
    }

    @Test func addedEnumValueBreaksWhereTheServerSendsIt() throws {
        let server = try DiffFixture.diff(to: base.inserting(
            "      queued: {description: Waiting for review.}", after: "      rejected: {description: Refused.}"))
        #expect(server.summary == ["breaking enums.MutationStatus.values.queued"])
        #expect(server.changes[0].message.contains("old clients cannot decode"))
        let client = try DiffFixture.diff(to: base.inserting(
            "      delete: {description: Deletes a record.}", after: "      update: {description: Updates a record.}"))
        #expect(client.summary == ["compatible enums.Operation.values.delete"])
    }

    @Test func removedEnumValueBreaks() throws {
        let diff = try DiffFixture.diff(to: base.removing("      update: {description: Updates a record.}"))
        #expect(diff.summary == ["breaking enums.Operation.values.update"])
    }

    @Test func messageDirectionChangeBreaks() throws {
        let diff = try DiffFixture.diff(to: base.replacing("  ping: {direction: client,", with: "  ping: {direction: both,"))
        #expect(diff.summary == ["breaking messages.ping.direction"])
    }

    @Test func deprecationIsCompatibleAndDescriptionsAreCosmetic() throws {
        let deprecated = try DiffFixture.diff(to: base.replacing(
            "note: {type: string, description", with: "note: {type: string, deprecated: Use request_id., description"))
        #expect(deprecated.summary == ["compatible messages.push.fields.note"])
        let described = try DiffFixture.diff(to: base
            .replacing("description: Free text for logs.", with: "description: Free text for logs only.")
            .replacing("summary: Answer to ping.", with: "summary: The answer to ping.")
            .replacing("      - {seq: 1, status: applied, server_version: 3}", with: "      - {seq: 2, status: applied}"))
        #expect(described.summary == [
            "cosmetic messages.pong.summary", "cosmetic messages.push.fields.note", "cosmetic schemas.MutationResult.examples",
        ])
        #expect(!described.hasBreaking)
    }

    @Test func reorderedFieldsAreCosmetic() throws {
        let diff = try DiffFixture.diff(to: base
            .removing("      note: {type: string, description: Free text for logs.}")
            .inserting("      note: {type: string, description: Free text for logs.}",
                       after: "      request_id: {type: string, required: true, max_length: 64, description: Echoed in the reply.}"))
        #expect(diff.summary == ["cosmetic messages.push.fields"])
    }
}
