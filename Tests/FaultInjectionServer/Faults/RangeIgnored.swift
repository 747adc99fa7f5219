import HTTPTypes
import Hummingbird
import SyncServer

/// `range-ignored` breaks UPL-13 (downloads honour single byte ranges): the `Range` header of a
/// file download is dropped, so a resuming client gets the whole file with 200 instead of the
/// range with 206.
enum RangeIgnored {
    /// The server with this fault.
    static let customization = ServerCustomization(interceptors: [intercept])

    /// Strips `Range` from `GET /v1/files/{id}`.
    static let intercept: HTTPInterceptor = { request, next in
        guard request.method == .get, request.uri.path.hasPrefix("/v1/files/"), request.headers[.range] != nil else {
            return try await next(request)
        }
        var head = request.head
        head.headerFields[.range] = nil
        return try await next(Request(head: head, body: request.body))
    }
}
