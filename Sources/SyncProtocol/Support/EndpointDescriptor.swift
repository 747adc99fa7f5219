import Foundation

/// A REST endpoint of the spec: what a client needs to call it and a server to route it.
public struct EndpointDescriptor: Sendable, Hashable {
    /// The spec's operation id.
    public var operationId: String
    /// HTTP method.
    public var method: String
    /// Path template with `{name}` placeholders.
    public var path: String
    /// Whether requests carry `Authorization: Bearer`.
    public var requiresAuth: Bool
    /// The optional server feature the endpoint belongs to.
    public var feature: String?
    /// Codes the endpoint may answer with.
    public var errors: [ErrorCode]

    /// Creates a descriptor.
    public init(operationId: String, method: String, path: String, requiresAuth: Bool, feature: String?, errors: [ErrorCode]) {
        self.operationId = operationId
        self.method = method
        self.path = path
        self.requiresAuth = requiresAuth
        self.feature = feature
        self.errors = errors
    }

    /// The path with each `{name}` replaced by its percent-encoded value; `nil` if one is missing.
    public func path(_ parameters: [String: String]) -> String? {
        var result = ""
        var rest = path[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = parameters[name],
                  let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlPathComponentAllowed)
            else { return nil }
            result += encoded
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

extension CharacterSet {
    /// Unreserved characters of RFC 3986: everything else in a path segment is percent-encoded.
    static let urlPathComponentAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
