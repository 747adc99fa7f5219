/// REST endpoints.
extension MarkdownRenderer {
    func endpoints() -> [String] {
        var blocks = [
            anchor("rest-endpoints") + "\n## REST endpoints",
            "Paths are relative to the server (`\(spec.baseURL)` in the examples). Errors are "
                + "`application/problem+json` bodies; see [Errors](#errors).",
        ]
        for endpoint in spec.endpoints { blocks += self.endpoint(endpoint) }
        return blocks
    }

    private func endpoint(_ endpoint: Endpoint) -> [String] {
        var facts = ["**Auth:** " + (endpoint.auth == .bearer ? "`Authorization: Bearer <JWT>`" : "none")]
        if let feature = endpoint.feature { facts.append("**Feature:** `\(feature)` (only when the server enables it)") }
        var blocks = [
            anchor("endpoint-\(endpoint.operationId)") + "\n### `\(endpoint.operationId)`: `\(endpoint.method) \(endpoint.path)`",
            "*\(endpoint.summary)*",
            facts.joined(separator: " · "),
        ]
        blocks += versionNotes(endpoint.info)
        blocks.append(endpoint.info.description)
        for (label, fields) in [("Path parameters", endpoint.pathParams), ("Query parameters", endpoint.query), ("Request headers", endpoint.headers)]
            where !fields.isEmpty {
            blocks += ["**\(label):**", fieldsTable(fields)]
        }
        if let request = endpoint.request {
            blocks.append("**Request body:** " + bodyText(request) + (request.description.isEmpty ? "" : ". " + request.description))
        }
        let responses = endpoint.responses.map { response in
            [String(response.status), response.body.map(bodyText) ?? "—",
             cell(response.headers.map { "`\($0.name)`" }.joined(separator: ", ")), cell(response.description)]
        }
        blocks += ["**Responses:**", Self.table(["Status", "Body", "Headers", "Description"], responses)]
        for response in endpoint.responses where !response.headers.isEmpty {
            blocks += ["**Headers of \(response.status):**", fieldsTable(response.headers)]
        }
        let errors = OpenAPIRenderer.errorsByStatus(endpoint, spec: spec).map { group in
            [String(group.status), group.codes.map { errorLink($0.code) }.joined(separator: ", ")]
        }
        if !errors.isEmpty {
            blocks += ["**Errors** (`application/problem+json`):", Self.table(["Status", "Codes"], errors)]
        }
        return blocks
    }

    /// A body's media type and type.
    private func bodyText(_ body: Body) -> String {
        let type = body.schema.map(typeText) ?? "raw bytes"
        return "`\(body.contentType)`, \(type)"
    }
}
