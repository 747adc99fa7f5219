/// Operations: parameters, bodies, success and error responses.
extension OpenAPIRenderer {
    static func operation(_ endpoint: Endpoint, spec: ProtocolSpec, builder: JSONSchemaBuilder) -> OrderedJSON.Object {
        let parameters = endpoint.pathParams.map { parameter($0, in: "path", builder: builder) }
            + endpoint.query.map { parameter($0, in: "query", builder: builder) }
            + endpoint.headers.map { parameter($0, in: "header", builder: builder) }
        // Statuses ascending; a status the spec gives a response of its own keeps that response.
        var byStatus: [(status: Int, response: OrderedJSON.Object)] = endpoint.responses.map {
            ($0.status, successResponse($0, builder: builder))
        }
        for (status, codes) in errorsByStatus(endpoint, spec: spec) where !byStatus.contains(where: { $0.status == status }) {
            byStatus.append((status, problemResponse(codes, spec: spec)))
        }
        var responses = OrderedJSON.Object()
        for entry in byStatus.sorted(by: { $0.status < $1.status }) {
            responses[String(entry.status)] = .object(entry.response)
        }
        let security: OrderedJSON = endpoint.auth == .bearer ? [[bearerScheme: []]] : []
        var operation: OrderedJSON.Object = [
            "operationId": .string(endpoint.operationId),
            "summary": .text(endpoint.summary),
            "description": .text(JSONSchemaBuilder.describe(endpoint.info)),
            "parameters": parameters.isEmpty ? nil : .array(parameters),
            "requestBody": endpoint.request.map { .object(requestBody($0, builder: builder)) },
            "responses": .object(responses),
            "security": security,
            "x-feature": .text(endpoint.feature),
        ]
        operation.merge(builder.annotations(endpoint.info))
        return operation
    }

    private static func parameter(_ field: Field, in location: String, builder: JSONSchemaBuilder) -> OrderedJSON {
        var parameter: OrderedJSON.Object = [
            "name": .string(field.name),
            "in": .string(location),
            "description": .text(JSONSchemaBuilder.describe(field.info)),
            "required": location == "path" || field.required ? true : nil,
            "schema": .object(builder.valueSchema(field)),
            "example": field.example.map(OrderedJSON.init),
        ]
        parameter.merge(builder.annotations(field.info))
        return .object(parameter)
    }

    /// A response header: the same as a parameter without `name` and `in`.
    private static func header(_ field: Field, builder: JSONSchemaBuilder) -> OrderedJSON {
        var header: OrderedJSON.Object = [
            "description": .text(JSONSchemaBuilder.describe(field.info)),
            "required": field.required ? true : nil,
            "schema": .object(builder.valueSchema(field)),
            "example": field.example.map(OrderedJSON.init),
        ]
        header.merge(builder.annotations(field.info))
        return .object(header)
    }

    private static func requestBody(_ body: Body, builder: JSONSchemaBuilder) -> OrderedJSON.Object {
        ["description": .text(body.description), "required": true, "content": content(body, builder: builder)]
    }

    /// A body's content map: its schema, or a binary string for a raw body.
    private static func content(_ body: Body, builder: JSONSchemaBuilder) -> OrderedJSON {
        let schema = body.schema.map(builder.schema(for:)) ?? ["type": "string", "format": "binary"]
        return [body.contentType: ["schema": .object(schema)]]
    }

    private static func successResponse(_ response: Response, builder: JSONSchemaBuilder) -> OrderedJSON.Object {
        var headers = OrderedJSON.Object()
        for field in response.headers { headers[field.name] = header(field, builder: builder) }
        return [
            "description": .string(response.description.isEmpty ? "HTTP \(response.status)" : response.description),
            "headers": .nonEmpty(headers),
            "content": response.body.map { content($0, builder: builder) },
        ]
    }

    /// The endpoint's error codes by HTTP status, statuses ascending, codes in the order listed.
    static func errorsByStatus(_ endpoint: Endpoint, spec: ProtocolSpec) -> [(status: Int, codes: [ErrorDefinition])] {
        let errors = endpoint.errors.compactMap(spec.error(code:))
        let statuses = Set(errors.map(\.status)).sorted()
        return statuses.map { status in (status, errors.filter { $0.status == status }) }
    }

    /// One problem+json response for every code with the same status; with a `Retry-After`
    /// header when one of them is retryable.
    private static func problemResponse(_ codes: [ErrorDefinition], spec: ProtocolSpec) -> OrderedJSON.Object {
        let list = codes.map { "`\($0.code)` (\($0.title))" }.joined(separator: ", ")
        let retryable = codes.filter { $0.retry != nil }
        var description = "A problem document (RFC 9457) with one of these codes: \(list)."
        var headers = OrderedJSON.Object()
        if !retryable.isEmpty {
            let delays = retryable.map { "`\($0.code)` \($0.retry?.minDelayMs ?? 0) ms" }.joined(separator: ", ")
            description += " Retryable codes are sent again unchanged no sooner than `retry_after_ms`, and never sooner than "
                + "their minimum delay: \(delays) (`x-error-codes` says what to do for each)."
            headers["Retry-After"] = [
                "description": "For a retryable code: the delay before retrying, in whole seconds, rounded up from `retry_after_ms`.",
                "schema": ["type": "integer", "minimum": 0],
            ]
        }
        var examples = OrderedJSON.Object()
        for error in codes {
            examples[error.code] = ["summary": .string(error.title), "value": .object(ProblemExample.value(for: error, in: spec))]
        }
        let schema: OrderedJSON.Object = spec.schema(named: ProblemExample.schemaName) == nil
            ? ["type": "object"]
            : ["$ref": .string("#/components/schemas/\(ProblemExample.schemaName)")]
        let media: OrderedJSON.Object = ["schema": .object(schema), "examples": .object(examples)]
        return [
            "description": .string(description),
            "headers": .nonEmpty(headers),
            "content": [problemMediaType: .object(media)],
        ]
    }
}
