/// REST endpoints.
extension SpecBuilder {
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    mutating func readEndpoint(_ operationId: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "endpoint '\(operationId)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let method = map.string("method", required: true, in: what) ?? "GET"
        if !Self.methods.contains(method) {
            sink.error(map.value("method")?.location, "'method' of \(what) must be one of \(Self.methods.joined(separator: ", ")), found '\(method)'")
        }
        let path = map.string("path", required: true, in: what) ?? "/"
        if !path.hasPrefix("/") {
            sink.error(map.value("path")?.location, "'path' of \(what) must start with '/'")
        }
        let summary = map.string("summary", required: true, in: what) ?? ""
        let authText = map.string("auth", in: what) ?? "bearer"
        let auth = Endpoint.Auth(rawValue: authText)
        if auth == nil {
            sink.error(map.value("auth")?.location, "'auth' of \(what) must be bearer or none, found '\(authText)'")
        }
        let feature = map.string("feature", in: what)
        let pathParams = readFields(map.value("path_params"), of: "path parameters of \(what)")
        let query = readFields(map.value("query"), of: "query of \(what)")
        let headers = readFields(map.value("headers"), of: "headers of \(what)")
        let request = map.value("request").flatMap { readBody($0, of: "request of \(what)", requireDescription: false) }
        let responses = readResponses(map.value("responses"), of: what)
        let errors = map.strings("errors", in: what).map(\.0)
        let info = info(map, in: what, at: keyLocation)
        map.rejectUnknownKeys(in: what)
        endpoints.append(Endpoint(
            operationId: operationId, method: method, path: path, summary: summary, auth: auth ?? .bearer,
            feature: feature, pathParams: pathParams, query: query, headers: headers, request: request,
            responses: responses, errors: errors, info: info
        ))
    }

    private func readResponses(_ node: YAMLNode?, of what: String) -> [Response] {
        guard let node else {
            sink.error(nil, "\(what) has no 'responses'")
            return []
        }
        guard let map = YAMLMap(node, what: "responses of \(what)", sink: sink) else { return [] }
        return map.entries.compactMap { entry in
            guard let status = Int(entry.key), (100...599).contains(status) else {
                sink.error(entry.keyNode.location, "response status '\(entry.key)' of \(what) must be an HTTP status code")
                return nil
            }
            let responseWhat = "response \(status) of \(what)"
            guard let responseMap = YAMLMap(entry.value, what: responseWhat, sink: sink) else { return nil }
            let description = responseMap.string("description", required: true, in: responseWhat) ?? ""
            var body: Body?
            if responseMap.value("schema") != nil || responseMap.value("content_type") != nil {
                body = bodyContent(responseMap, of: responseWhat, description: description)
            }
            let headers = readFields(responseMap.value("headers"), of: "headers of \(responseWhat)")
            responseMap.rejectUnknownKeys(in: responseWhat)
            return Response(status: status, description: description, body: body, headers: headers)
        }
    }

    private func readBody(_ node: YAMLNode, of what: String, requireDescription: Bool) -> Body? {
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        let description = map.string("description", required: requireDescription, in: what) ?? ""
        let body = bodyContent(map, of: what, description: description)
        map.rejectUnknownKeys(in: what)
        return body
    }

    /// Reads `schema` and `content_type`; a body without a schema is raw bytes.
    private func bodyContent(_ map: YAMLMap, of what: String, description: String) -> Body {
        var schema: TypeRef?
        if let text = map.string("schema", in: what) {
            schema = TypeRef(parsing: text)
            if schema == nil { sink.error(map.value("schema")?.location, "malformed type '\(text)' of \(what)") }
        }
        let contentType = map.string("content_type", in: what) ?? (schema == nil ? "application/octet-stream" : "application/json")
        return Body(contentType: contentType, schema: schema, description: description)
    }
}
