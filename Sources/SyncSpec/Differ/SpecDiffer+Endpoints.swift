/// REST endpoints: identified by operation id; what clients send (parameters, headers, request
/// body) and what the server answers (responses, their headers, error codes).
extension ChangeCollector {
    mutating func compareEndpoints() {
        let matched = Matched(old.endpoints, new.endpoints, key: \.operationId)
        for endpoint in matched.removed {
            reportRemoved("endpoints.\(endpoint.operationId)", "endpoint '\(endpoint.operationId)' (\(endpoint.method) \(endpoint.path))",
                          because: "old clients still call it")
        }
        for endpoint in matched.added {
            reportAdded("endpoints.\(endpoint.operationId)", "endpoint '\(endpoint.operationId)' (\(endpoint.method) \(endpoint.path))", endpoint.info)
        }
        for (was, now) in matched.kept {
            compareEndpoint(was, now)
        }
    }

    private mutating func compareEndpoint(_ was: Endpoint, _ now: Endpoint) {
        let path = "endpoints.\(now.operationId)"
        let what = "endpoint '\(now.operationId)'"
        let at = now.info.location
        compare(was.method, now.method, .breaking, "\(path).method", "method of \(what)", at: at, because: "old clients use the old method")
        compare(was.path, now.path, .breaking, "\(path).path", "path of \(what)", at: at, because: "old clients call the old path")
        compare(was.summary, now.summary, .cosmetic, "\(path).summary", "summary of \(what)", at: at, show: Self.quoted)
        compare(was.auth, now.auth, now.auth == .none ? .compatible : .breaking, "\(path).auth", "auth of \(what)", at: at,
                because: now.auth == .none ? nil : "old clients do not send a token", show: \.rawValue)
        compare(was.feature, now.feature, now.feature == nil ? .compatible : .breaking, "\(path).feature", "feature of \(what)", at: at,
                because: now.feature == nil ? nil : "servers without the feature no longer offer it",
                show: { $0.map(Self.quoted) ?? "none (always offered)" })
        compareFields(was.pathParams, now.pathParams, FieldList(path: "\(path).path_params", flow: .fromClient), at: at)
        compareFields(was.query, now.query, FieldList(path: "\(path).query", flow: .fromClient), at: at)
        compareFields(was.headers, now.headers, FieldList(path: "\(path).headers", flow: .fromClient, ignoresCase: true), at: at)
        compareBody(was.request, now.request, "\(path).request", "request body of \(what)", fromClient: true, at: at)
        compareResponses(was, now, path, at: at)
        let errors = Matched(was.errors, now.errors, key: { $0 })
        for code in errors.removed {
            report(.compatible, "\(path).errors.\(code)", "\(what) no longer answers with '\(code)'", at: at)
        }
        for code in errors.added {
            report(.compatible, "\(path).errors.\(code)", "\(what) may now answer with '\(code)'", at: at)
        }
        compareInfo(was.info, now.info, path, what)
    }

    private mutating func compareResponses(_ was: Endpoint, _ now: Endpoint, _ path: String, at: SourceLocation) {
        let matched = Matched(was.responses, now.responses, key: { String($0.status) })
        for response in matched.removed {
            reportRemoved("\(path).responses.\(response.status)", "response \(response.status)", because: "old clients expect it")
        }
        for response in matched.added {
            report(.compatible, "\(path).responses.\(response.status)", "new response \(response.status)", at: at)
        }
        for (before, after) in matched.kept {
            let responsePath = "\(path).responses.\(after.status)"
            let what = "response \(after.status)"
            compareBody(before.body, after.body, responsePath, "body of \(what)", fromClient: false, at: at)
            let headers = FieldList(path: "\(responsePath).headers", flow: .fromServer, ignoresCase: true)
            compareFields(before.headers, after.headers, headers, at: at)
            if before.description != after.description {
                report(.cosmetic, responsePath, "description of \(what) changed", at: at)
            }
        }
    }

    /// A request body (`fromClient`) or a response body. Its schema's own fields are compared
    /// under `schemas`.
    private mutating func compareBody(_ was: Body?, _ now: Body?, _ path: String, _ what: String, fromClient: Bool,
                                      at: SourceLocation) {
        switch (was, now) {
        case (nil, _?):
            report(fromClient ? .breaking : .compatible, path,
                   "\(what) added" + (fromClient ? ": old clients do not send it" : ": old clients ignore it"), at: at)
        case (_?, nil):
            report(.breaking, path,
                   "\(what) removed" + (fromClient ? ": old clients still send it" : ": old clients read it"), at: at)
        case (let before?, let after?):
            let schema: (TypeRef?) -> String = { $0.map { "\($0)" } ?? "raw bytes" }
            compare(before.schema, after.schema, .breaking, "\(path).schema", "schema of \(what)", at: at,
                    because: "old peers encode and decode the old type", show: schema)
            compare(before.contentType, after.contentType, .breaking, "\(path).content_type", "content type of \(what)", at: at,
                    because: "old peers send or expect the old media type")
            if before.description != after.description {
                report(.cosmetic, path, "description of \(what) changed", at: at)
            }
        case (nil, nil):
            break
        }
    }
}
