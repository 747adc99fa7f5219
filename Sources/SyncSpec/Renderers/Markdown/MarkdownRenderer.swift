/// Renders `reference.md`: the whole protocol as one Markdown document a third-party
/// implementer can work from, with stable anchors (`message-<type>`, `endpoint-<operationId>`,
/// `schema-<Name>`, `enum-<Name>`, `limit-<name>`, `error-<code>`, `close-<code>`, `req-<ID>`,
/// `guide-<name>`) for links. Guides come first, after the contents; the breaking changes made
/// without a new major version come last.
package struct MarkdownRenderer: Sendable {
    /// The spec being rendered.
    let spec: ProtocolSpec

    /// The document.
    package static func render(_ spec: ProtocolSpec) -> String {
        let renderer = MarkdownRenderer(spec: spec)
        let blocks = [
            ["<!-- \(GeneratedNote.text(for: spec)) -->"],
            renderer.overview(),
            renderer.guides(),
            renderer.authentication(),
            renderer.webSocket(),
            renderer.limits(),
            renderer.errors(),
            renderer.messages(),
            renderer.endpoints(),
            renderer.schemas(),
            renderer.enums(),
            renderer.requirements(),
            renderer.acceptedBreaks(),
        ].joined()
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func overview() -> [String] {
        var contents = spec.guides.map { ("- ", "guide-\($0.name)", $0.title) }
        if !spec.authentication.isEmpty { contents.append(("- ", "authentication", "Authentication")) }
        contents += [("- ", "websocket", "WebSocket endpoint"), ("- ", "limits", "Limits"), ("- ", "errors", "Errors")]
        if !spec.closeCodes.isEmpty { contents.append(("  - ", "close-codes", "Close codes")) }
        contents += [
            ("- ", "messages", "Messages"), ("- ", "rest-endpoints", "REST endpoints"), ("- ", "schemas", "Schemas"),
            ("- ", "enums", "Enums"), ("- ", "requirements", "Requirements"),
        ]
        if !spec.acceptedBreaks.isEmpty { contents.append(("- ", "accepted-breaks", "Accepted breaking changes")) }
        return [
            "# \(spec.title) \(spec.version)",
            "Protocol `\(spec.name)`, version \(spec.version). This reference is generated from the spec; "
                + "the same definitions are exported as `openapi.json` (REST), `asyncapi.json` (WebSocket) "
                + "and JSON Schemas under `schemas/`.",
            spec.description,
            "## Contents",
            contents.map { "\($0.0)[\($0.2)](#\($0.1))" }.joined(separator: "\n"),
        ]
    }

    private func webSocket() -> [String] {
        let ws = spec.websocket
        let rows = [
            ["Path", "`\(ws.path)`"],
            ["Subprotocol", "`\(ws.subprotocol)` (offered in `Sec-WebSocket-Protocol`)"],
            ["Example server", "`\(spec.baseURL)` (REST; the WebSocket uses the same host with `ws`/`wss`)"],
            ["Frames", "UTF-8 JSON text frames, each one object whose string `type` names the message"],
        ]
        let messages = spec.messages.map { message in
            [messageLink(message.name), directionText(message.direction), cell(message.summary),
             cell(message.replies.map(messageLink).joined(separator: ", "))]
        }
        return [
            anchor("websocket") + "\n## WebSocket endpoint",
            Self.table(["Property", "Value"], rows),
            "### Version negotiation",
            ws.negotiation,
            "### Messages at a glance",
            Self.table(["Message", "Direction", "Summary", "Replies"], messages),
        ]
    }

    private func limits() -> [String] {
        let rows = spec.limits.map { limit in
            [anchor("limit-\(limit.name)") + "`\(limit.name)`", String(limit.value), limit.unit,
             limit.kind == .max ? "max (smaller is stricter)" : "min (larger is stricter)",
             cell(Self.describe(limit.info))]
        }
        return [
            anchor("limits") + "\n## Limits",
            "Named constants. Constraints below that name a limit show its name and value.",
            Self.table(["Limit", "Value", "Unit", "Kind", "Description"], rows),
        ]
    }
}
