import Hummingbird
import SyncProtocol

/// The paths and methods the server serves, to tell an unknown path (`not_found`) from a known
/// path with another method (`method_not_allowed` with `Allow`, ERR-7). Test-control endpoints are
/// in it only when enabled, so that otherwise they look exactly like unknown paths (TEST-1).
struct RouteCatalog: Sendable {
    private struct Route: Sendable {
        let method: HTTPRequest.Method
        let segments: [Substring]
    }

    private let routes: [Route]

    /// The endpoints the transport serves plus the WebSocket upgrade path.
    init(endpoints: [EndpointDescriptor]) {
        let upgrade = Route(method: .get, segments: Self.segments(ProtocolInfo.websocketPath))
        routes = [upgrade] + endpoints.compactMap { endpoint in
            HTTPRequest.Method(endpoint.method).map { Route(method: $0, segments: Self.segments(endpoint.path)) }
        }
    }

    /// The methods served at `path`, in catalog order; empty for an unknown path.
    func methods(at path: String) -> [HTTPRequest.Method] {
        let requested = Self.segments(path)
        var methods: [HTTPRequest.Method] = []
        for route in routes where Self.matches(route.segments, requested) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}
