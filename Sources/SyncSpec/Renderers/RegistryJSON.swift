/// The error and close-code registries as JSON, shared by the OpenAPI and AsyncAPI documents
/// (`x-error-codes`, `x-close-codes`), so both describe a code the same way.
enum RegistryJSON {
    /// One entry of `x-error-codes`.
    static func error(_ error: ErrorDefinition) -> OrderedJSON {
        let retry: OrderedJSON? = error.retry.map { retry in
            [
                "action": .string(retry.action),
                "min_delay_ms": .int(retry.minDelayMs),
                "x-since": retry.since == .initial ? nil : .string(retry.since.description),
            ]
        }
        return [
            "code": .string(error.code),
            "status": .int(Int64(error.status)),
            "retryable": .bool(error.retryable),
            "close_code": error.closeCode.map { .int(Int64($0)) },
            "retry": retry,
            "title": .string(error.title),
            "description": .text(JSONSchemaBuilder.describe(error.info)),
        ]
    }

    /// One entry of `x-close-codes`; `error_codes` lists the codes whose `error` message precedes it.
    static func closeCode(_ entry: CloseCodeDefinition, in spec: ProtocolSpec) -> OrderedJSON {
        var object: OrderedJSON.Object = [
            "code": .int(Int64(entry.code)),
            "title": .string(entry.title),
            "sent_by": .array(entry.sentBy.map { .string($0.rawValue) }),
            "error": .string(entry.error.rawValue),
            "error_codes": .strings(spec.errors(closingWith: entry.code).map(\.code)),
            "reconnect": .string(entry.reconnect.rawValue),
            "min_delay_ms": entry.minDelayMs.map(OrderedJSON.int),
            "action": .string(entry.action),
            "description": .text(JSONSchemaBuilder.describe(entry.info)),
        ]
        object["x-since"] = entry.info.since == .initial ? nil : .string(entry.info.since.description)
        object["deprecated"] = entry.info.deprecated == nil ? nil : true
        return .object(object)
    }
}
