import Foundation
import SyncSpec
import Testing

/// Retry guidance, the close-code registry, the authentication text and guides: how the loader
/// reads them and how each document shows them.
@Suite("retry guidance, close codes, authentication and guides")
struct RegistryRenderingTests {
    /// The mini spec with `unauthorized` made retryable, with guidance.
    func retryableSpec() throws -> ProtocolSpec {
        try loadValid(try miniSpec(
            editing: "protocol.yaml", replacing: "retryable: false\n    close_code: 4401\n    title: Unauthorized\n",
            with: "retryable: true\n    close_code: 4401\n    title: Unauthorized\n"
                + "    retry:\n      since: 1.1.0\n      min_delay_ms: 250\n      action: Get a new token, then send it again.\n"))
    }

    @Test("the loader reads close codes, retry blocks and guides")
    func loader() throws {
        let spec = try retryableSpec()
        let retry = try #require(spec.error(code: "unauthorized")?.retry)
        #expect(retry.minDelayMs == 250 && retry.since == SemanticVersion(1, 1, 0))
        #expect(retry.action == "Get a new token, then send it again.")
        #expect(spec.error(code: "invalid_message")?.retry == nil)
        #expect(spec.closeCodes.map(\.code) == [4401, 1006])
        let lost = try #require(spec.closeCode(1006))
        #expect(lost.sentBy.isEmpty && lost.error == .never && lost.reconnect == .backoff && lost.minDelayMs == 100)
        #expect(spec.closeCode(4401)?.reconnect == .newToken)
        #expect(spec.errors(closingWith: 4401).map(\.code) == ["unauthorized"])
        let guide = try #require(spec.guides.first)
        #expect(guide.name == "getting_started" && guide.title == "Getting started")
        #expect(guide.sections.map(\.refs) == [["message:ping", "requirement:MINI-1"]])
    }

    @Test("reference.md shows the retry column, the close-code table and the guides first")
    func markdown() throws {
        let text = MarkdownRenderer.render(try retryableSpec())
        #expect(text.contains("| <a id=\"error-unauthorized\"></a>`unauthorized` | 401 | [`4401`](#close-4401) | yes | "
            + "After at least 250 ms: Get a new token, then send it again. Since 1.1.0. | **Unauthorized.**"))
        #expect(text.contains("| <a id=\"close-4401\"></a>`4401` | Unauthorized | server | always: [`unauthorized`](#error-unauthorized) | "
            + "with a new token, after ≥ 100 ms | Obtain a new token, then reconnect. | The token expired during the session. |"))
        #expect(text.contains("| <a id=\"close-1006\"></a>`1006` | Abnormal Closure | nobody (never in a close frame) | no | yes, after ≥ 100 ms |"))
        #expect(text.contains("- [Getting started](#guide-getting_started)\n- [WebSocket endpoint](#websocket)"))
        #expect(text.contains("  - [Close codes](#close-codes)"))
        #expect(text.contains("### Submit items\n\nSend `submit`; the answer is `submitted`. Send `ping` when idle.\n\nSee: [`ping`](#message-ping), [MINI-1](#req-MINI-1)"))
        let guide = try #require(text.range(of: "## Getting started"))
        let websocket = try #require(text.range(of: "## WebSocket endpoint"))
        #expect(guide.lowerBound < websocket.lowerBound)
        // The mini spec has no authentication text: no section, no contents entry.
        #expect(!text.contains("](#authentication)"))
    }

    @Test("both API documents list the registries; the security schemes carry the authentication text")
    func apiDocuments() throws {
        let spec = try ExportTestSupport.load(ExportTestSupport.fixtureSpec)
        let openAPI = OpenAPIRenderer.document(spec)
        let asyncAPI = AsyncAPIRenderer.document(spec)
        for document in [openAPI, asyncAPI] {
            let scheme = OrderedJSON.object(document).value(at: ["components", "securitySchemes", "bearerAuth", "description"])
            #expect(scheme == .string(spec.authentication))
            let errors = OrderedJSON.object(document).value(at: ["x-error-codes"])
            guard case .array(let entries)? = errors, let limited = entries.first(where: { $0.value(at: ["code"]) == "rate_limited" }) else {
                Issue.record("no rate_limited entry in x-error-codes")
                continue
            }
            #expect(limited.value(at: ["retry", "min_delay_ms"]) == .int(500))
        }
        guard case .array(let closes)? = OrderedJSON.object(asyncAPI).value(at: ["x-close-codes"]) else {
            Issue.record("no x-close-codes in the AsyncAPI document")
            return
        }
        #expect(closes.map { $0.value(at: ["code"]) } == [.int(1009), .int(1011), .int(4401), .int(4406)])
        #expect(closes[0].value(at: ["error_codes"]) == .array(["frame_too_large"]))
        #expect(closes[3].value(at: ["min_delay_ms"]) == nil && closes[3].value(at: ["sent_by"]) == .array([]))
        let tooMany = OrderedJSON.object(openAPI).value(at: ["paths", "/v1/sync/push", "post", "responses", "429"])
        #expect(tooMany?.value(at: ["headers", "Retry-After", "schema", "type"]) == "integer")
        // The fixture's Problem has no retry_after_ms; the real spec's has, so its examples show the minimum delay.
        #expect(tooMany?.value(at: ["content", "application/problem+json", "examples", "rate_limited", "value", "retry_after_ms"]) == nil)
        let real = try ExportTestSupport.load(Paths.spec)
        let gap = try #require(real.error(code: "sequence_gap"))
        #expect(ProblemExample.value(for: gap, in: real)["retry_after_ms"] == .int(try #require(gap.retry?.minDelayMs)))
    }
}

extension OrderedJSON {
    /// The value at a path of object keys; `nil` when a key is missing or a value is not an object.
    func value(at path: [String]) -> OrderedJSON? {
        var node = self
        for key in path {
            guard case .object(let object) = node, let next = object[key] else { return nil }
            node = next
        }
        return node
    }
}
