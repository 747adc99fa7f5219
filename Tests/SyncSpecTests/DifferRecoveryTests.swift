import SyncSpec
import Testing

/// The differ on what clients do after a refusal or a close: retry guidance, the close-code
/// registry, and the text-only parts (authentication, guides).
@Suite struct DifferRecoveryTests {
    let base = DiffFixture.base
    let busy = "retry: {action: Send it again., min_delay_ms: 1000}"
    let internalError = "1011: {title: Internal Error, sent_by: [server], error: never, reconnect: backoff, min_delay_ms: 100,"

    @Test func baseFixtureHasTheRegistries() throws {
        let spec = try base.load()
        #expect(spec.error(code: "busy")?.retry?.minDelayMs == 1000)
        #expect(spec.closeCodes.map(\.code) == [4400, 1011, 4406])
        #expect(spec.closeCode(4406)?.minDelayMs == nil)
        #expect(spec.guides.map(\.name) == ["start"])
        #expect(spec.authentication == "A bearer JWT naming the tenant.")
    }

    @Test func longerRetryDelaysBreakAndShorterOnesDoNot() throws {
        let longer = try DiffFixture.diff(to: base.replacing(busy, with: "retry: {action: Send it again., min_delay_ms: 2000}"))
        #expect(longer.summary == ["breaking errors.busy.retry.min_delay_ms"])
        #expect(longer.changes[0].message == "minimum retry delay of error 'busy' raised from 1000 ms to 2000 ms: old clients may retry sooner")
        let shorter = try DiffFixture.diff(to: base.replacing(busy, with: "retry: {action: Send it again., min_delay_ms: 500}"))
        #expect(shorter.summary == ["compatible errors.busy.retry.min_delay_ms"])
        let reworded = try DiffFixture.diff(to: base.replacing(busy, with: "retry: {action: Send the same request again., min_delay_ms: 1000}"))
        #expect(reworded.summary == ["cosmetic errors.busy.retry.action"])
    }

    @Test func addedRetryGuidanceIsCompatibleAndRemovedGuidanceBreaks() throws {
        let added = try DiffFixture.diff(to: base.version("1.1.0").replacing(
            "title: Too many requests, description: Slow down.}",
            with: "title: Too many requests, description: Slow down., retry: {action: Wait., min_delay_ms: 1000, since: 1.1.0}}"))
        #expect(added.summary == ["compatible errors.rate_limited.retry"])
        #expect(added.changes[0].message == "retry guidance added to error 'rate_limited' (at least 1000 ms)")
        let unmarked = try DiffFixture.diff(to: base.replacing(
            "title: Too many requests, description: Slow down.}", with: "title: Too many requests, description: Slow down., retry: {action: Wait., min_delay_ms: 1000}}"))
        #expect(unmarked.changes[0].message.contains("set since to the version that adds it"))
        let removed = try DiffFixture.diff(to: base.replacing(", \(busy)}", with: "}"))
        #expect(removed.summary == ["breaking errors.busy.retry"])
    }

    @Test func closeCodeChanges() throws {
        let rest = " description: The server failed., action: Send unanswered pushes again.}"
        let never = try DiffFixture.diff(to: base.replacing(internalError + rest,
            with: "1011: {title: Internal Error, sent_by: [server], error: never, reconnect: never," + rest))
        #expect(never.summary == ["breaking close_codes.1011.reconnect"])
        #expect(never.changes[0].message.contains("changed from backoff to never: old clients reconnect by the old rule"))
        let slower = try DiffFixture.diff(to: base.replacing(internalError, with: internalError.replacingOccurrences(of: "100,", with: "1000,")))
        #expect(slower.summary == ["breaking close_codes.1011.min_delay_ms"])
        let faster = try DiffFixture.diff(to: base.replacing(internalError, with: internalError.replacingOccurrences(of: "100,", with: "0,")))
        #expect(faster.summary == ["compatible close_codes.1011.min_delay_ms"])
        let edited = try DiffFixture.diff(to: base.replacing(internalError + rest, with:
            "1011: {title: Server Error, sent_by: [server, client], error: sometimes, reconnect: backoff, min_delay_ms: 100,"
                + " description: The server failed., action: Reconnect.}"))
        #expect(edited.summary == [
            "breaking close_codes.1011.error", "compatible close_codes.1011.sent_by",
            "cosmetic close_codes.1011.action", "cosmetic close_codes.1011.title",
        ])
    }

    @Test func removedCloseCodesBreakAndAddedOnesDoNot() throws {
        let entry = "  4406: {title: Unsupported version, sent_by: [server], error: never, reconnect: never, description: The client is too old., action: Update the client.}"
        #expect(try DiffFixture.diff(to: base.removing(entry)).summary == ["breaking close_codes.4406"])
        let added = try DiffFixture.diff(to: base.inserting(
            "  1001: {title: Going Away, sent_by: [server], error: never, reconnect: backoff, min_delay_ms: 100, description: Shutdown., action: Reconnect.}",
            after: entry))
        #expect(added.summary == ["compatible close_codes.1001"])
    }

    @Test func authenticationAndGuidesAreText() throws {
        let diff = try DiffFixture.diff(to: base
            .replacing("authentication: A bearer JWT naming the tenant.", with: "authentication: A bearer JWT naming the tenant and device.")
            .replacing("text: Send a push.", with: "text: Send a push first.")
            .replacing("    title: Start\n", with: "    title: Getting started\n"))
        #expect(diff.summary == ["cosmetic guides.start.sections", "cosmetic guides.start.title", "cosmetic protocol.authentication"])
        #expect(!diff.hasBreaking)
        let added = try DiffFixture.diff(to: base.inserting(
            "  faq: {title: FAQ, description: Questions., sections: [{title: Why, text: Because.}]}", after: "      - {title: Connect, text: Send a push., refs: [message:push]}"))
        #expect(added.summary == ["cosmetic guides.faq"])
    }
}
