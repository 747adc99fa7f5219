public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// One HTTP request of the REST API, relative to the server's base URL.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// The path with its query, such as `/v1/sync/pull?limit=100`.
    public var path: String
    /// Request headers; `Authorization` is added by the transport.
    public var headers: [String: String]
    /// The body, if any.
    public var body: Data?

    /// Creates a request.
    public init(method: String, path: String, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response: status, headers (names lowercased) and the whole body.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Headers, names lowercased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends REST requests (HTTP sync, uploads). The SDK builds and reads the protocol's requests;
/// a transport only moves bytes, so tests and apps can replace it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` to `baseURL` with `Authorization: Bearer token`. Throws only when no
    /// response arrived (kind `unreachable` or `cancelled`); every HTTP status is a response.
    func perform(_ request: HTTPRequest, baseURL: URL, token: String) async throws(TransportError) -> HTTPResponse
}

/// `HTTPTransport` on `URLSession` (FoundationNetworking on Linux).
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let timeout: TimeInterval

    /// A transport on `session` (an ephemeral session by default), each request bounded by `timeout` seconds.
    public init(session: URLSession? = nil, timeout: TimeInterval = 60) {
        self.session = session ?? URLSession(configuration: .ephemeral)
        self.timeout = timeout
    }

    public func perform(_ request: HTTPRequest, baseURL: URL, token: String) async throws(TransportError) -> HTTPResponse {
        guard let url = URL(string: request.path, relativeTo: baseURL) else {
            throw TransportError(.unreachable, "the request path is not a valid URL")
        }
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        urlRequest.httpBody = request.body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch is CancellationError {
            throw TransportError(.cancelled, "the request was cancelled")
        } catch let error as URLError where error.code == .cancelled {
            throw TransportError(.cancelled, "the request was cancelled")
        } catch {
            throw TransportError(.unreachable, "the server could not be reached (\(String(describing: type(of: error))))")
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError(.unreachable, "the response is not HTTP")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }
}
