/// Messages, endpoints and examples.
extension LintContext {
    func checkMessages() {
        for message in spec.messages {
            let what = "message '\(message.name)'"
            checkSince(message.info, what)
            checkFields(message.fields, of: what)
            for reply in message.replies {
                guard let target = spec.message(named: reply) else {
                    sink.error(message.info.location, "\(what) replies with unknown message '\(reply)'")
                    continue
                }
                let answersBack = message.direction == .both || target.direction == .both || target.direction != message.direction
                if !answersBack {
                    sink.error(message.info.location, "\(what) replies with '\(reply)', which is sent by the same side")
                }
            }
        }
    }

    func checkEndpoints() {
        var routes: [String: String] = [:]
        for endpoint in spec.endpoints {
            let what = "endpoint '\(endpoint.operationId)'"
            checkSince(endpoint.info, what)
            let route = "\(endpoint.method) \(routeShape(endpoint.path))"
            if let other = routes[route] {
                sink.error(endpoint.info.location, "\(what) has the same method and path as endpoint '\(other)'")
            }
            routes[route] = endpoint.operationId
            checkFields(endpoint.pathParams, of: "path parameters of \(what)")
            checkFields(endpoint.query, of: "query of \(what)")
            checkFields(endpoint.headers, of: "headers of \(what)", namesAreHTTP: true)
            let placeholders = endpoint.pathPlaceholders
            for name in placeholders where !endpoint.pathParams.contains(where: { $0.name == name }) {
                sink.error(endpoint.info.location, "\(what) has {\(name)} in its path but no path parameter '\(name)'")
            }
            for param in endpoint.pathParams where !placeholders.contains(param.name) {
                sink.error(param.info.location, "path parameter '\(param.name)' of \(what) is not in its path")
            }
            if let schema = endpoint.request?.schema { checkType(schema, at: endpoint.info.location, what: "request of \(what)") }
            if endpoint.responses.isEmpty { sink.error(endpoint.info.location, "\(what) has no responses") }
            for response in endpoint.responses {
                if let schema = response.body?.schema { checkType(schema, at: endpoint.info.location, what: "response \(response.status) of \(what)") }
                checkFields(response.headers, of: "headers of response \(response.status) of \(what)", namesAreHTTP: true)
            }
            for code in endpoint.errors where spec.error(code: code) == nil {
                sink.error(endpoint.info.location, "\(what) names unknown error code '\(code)'")
            }
        }
    }

    /// `/v1/uploads/{upload_id}` and `/v1/uploads/{id}` are the same route.
    private func routeShape(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") ? "{}" : String($0) }
            .joined(separator: "/")
    }

    func checkExamples() {
        let checker = ValueChecker(spec: spec)
        for message in spec.messages {
            for example in message.examples {
                for violation in checker.check(example, message: message) {
                    sink.error(violation.location, "example of message '\(message.name)' fails its schema: \(violation)")
                }
            }
        }
        for schema in spec.schemas {
            for example in schema.examples {
                for violation in checker.check(example, type: .named(schema.name)) {
                    sink.error(violation.location, "example of schema '\(schema.name)' fails its schema: \(violation)")
                }
            }
        }
    }
}
