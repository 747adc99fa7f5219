/// Renders the OpenAPI 3.1 document of the spec's REST endpoints.
///
/// Schemas and enums become `components.schemas`; errors become RFC 9457
/// `application/problem+json` responses grouped by HTTP status, with one example per code and a
/// `Retry-After` header where a code is retryable; the whole error registry, with each retryable
/// code's retry guidance, is listed in the `x-error-codes` extension; operations behind an
/// optional server feature carry `x-feature`.
package enum OpenAPIRenderer {
    /// The name of the bearer-token security scheme.
    static let bearerScheme = "bearerAuth"
    /// The media type of error bodies.
    static let problemMediaType = "application/problem+json"

    /// The whole document.
    package static func document(_ spec: ProtocolSpec) -> OrderedJSON.Object {
        let builder = JSONSchemaBuilder(spec: spec, refPrefix: "#/components/schemas/")
        let info: OrderedJSON.Object = [
            "title": .string(spec.title),
            "version": .string(spec.version.description),
            "description": .text(spec.description),
        ]
        let bearer: OrderedJSON.Object = [
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": .string(spec.authentication.isEmpty ? "A JWT whose claims name the tenant, the user and the device." : spec.authentication),
        ]
        let components: OrderedJSON.Object = [
            "schemas": .nonEmpty(builder.definitions()),
            "securitySchemes": [bearerScheme: .object(bearer)],
        ]
        return [
            "openapi": "3.1.0",
            "x-generated": .string(GeneratedNote.text(for: spec)),
            "info": .object(info),
            "servers": [["url": .string(spec.baseURL)]],
            "paths": .object(paths(spec, builder: builder)),
            "components": .object(components),
            "x-error-codes": .array(spec.errors.map(RegistryJSON.error)),
        ]
    }

    /// The endpoints grouped by path, paths in the order they first appear in the spec.
    private static func paths(_ spec: ProtocolSpec, builder: JSONSchemaBuilder) -> OrderedJSON.Object {
        var paths = OrderedJSON.Object()
        for endpoint in spec.endpoints {
            var item: OrderedJSON.Object
            if case .object(let existing)? = paths[endpoint.path] { item = existing } else { item = [:] }
            item[endpoint.method.lowercased()] = .object(operation(endpoint, spec: spec, builder: builder))
            paths[endpoint.path] = .object(item)
        }
        return paths
    }
}
