/// A request or response body of a REST endpoint.
public struct Body: Sendable, Hashable {
    /// The media type, such as `application/json` or `application/octet-stream`.
    public var contentType: String
    /// The JSON body's type; `nil` for a raw body.
    public var schema: TypeRef?
    /// What the body holds.
    public var description: String
}

/// One response of a REST endpoint.
public struct Response: Sendable, Hashable {
    /// HTTP status code.
    public var status: Int
    /// What the response means.
    public var description: String
    /// The body; `nil` when there is none.
    public var body: Body?
    /// Response headers.
    public var headers: [Field]
}

/// A REST endpoint.
public struct Endpoint: Sendable, Hashable {
    /// How a request proves who it is.
    public enum Auth: String, Sendable, Hashable {
        /// `Authorization: Bearer <JWT>`.
        case bearer
        /// No authentication.
        case none
    }

    /// `lowerCamelCase` operation id.
    public var operationId: String
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public var method: String
    /// Path template with `{param}` placeholders.
    public var path: String
    /// One line.
    public var summary: String
    /// Authentication.
    public var auth: Auth
    /// The optional feature the server must enable for this endpoint to exist.
    public var feature: String?
    /// Path parameters in template order.
    public var pathParams: [Field]
    /// Query parameters.
    public var query: [Field]
    /// Request headers.
    public var headers: [Field]
    /// The request body, if any.
    public var request: Body?
    /// Success responses by status.
    public var responses: [Response]
    /// Error codes this endpoint may answer with.
    public var errors: [String]
    /// Description, version, location.
    public var info: DefinitionInfo

    /// The `{name}` placeholders of `path`, in order.
    public var pathPlaceholders: [String] {
        var names: [String] = []
        var rest = path[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
