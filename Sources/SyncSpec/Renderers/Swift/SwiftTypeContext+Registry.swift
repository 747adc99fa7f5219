/// Error codes, limits, endpoints, the protocol's identity and the type catalog.
extension SwiftTypeContext {
    func renderErrors(into w: inout SourceWriter) {
        w.block("extension ErrorCode") { w in
            for (index, error) in spec.errors.enumerated() {
                if index > 0 { w.line() }
                w.doc("\(error.title).\n\n\(docText(error.info))")
                w.line("public static let \(SwiftNames.identifier(error.code)) = ErrorCode(rawValue: \(SwiftNames.literal(error.code)))")
            }
        }
        w.line()
        w.block("extension ErrorInfo") { w in
            w.line("/// The spec's error registry.")
            w.dictionary("public static let registry: [ErrorCode: ErrorInfo]", spec.errors.map { error in
                let id = SwiftNames.identifier(error.code)
                let close = error.closeCode.map(String.init) ?? "nil"
                let delay = error.retry.map { ", minRetryDelayMs: \($0.minDelayMs)" } ?? ""
                return ".\(id): ErrorInfo(code: .\(id), status: \(error.status), retryable: \(error.retryable), closeCode: \(close), title: \(SwiftNames.literal(error.title))\(delay))"
            })
        }
    }

    func renderLimits(into w: inout SourceWriter) {
        w.line("/// The spec's limits: named constants both sides apply.")
        w.block("public enum Limits") { w in
            for (index, limit) in spec.limits.enumerated() {
                if index > 0 { w.line() }
                w.doc("\(docText(limit.info))\n\n\(limit.kind == .max ? "Upper" : "Lower") bound, in \(limit.unit).")
                w.line("public static let \(SwiftNames.identifier(limit.name)): Int64 = \(limit.value)")
            }
        }
    }

    func renderEndpoints(into w: inout SourceWriter) {
        w.line("/// The spec's REST endpoints.")
        w.block("public enum Endpoints") { w in
            for endpoint in spec.endpoints {
                w.doc("`\(endpoint.method) \(endpoint.path)`: \(endpoint.summary)")
                let feature = endpoint.feature.map(SwiftNames.literal) ?? "nil"
                let errors = endpoint.errors.map { ".\(SwiftNames.identifier($0))" }.joined(separator: ", ")
                w.line("public static let \(SwiftNames.identifier(endpoint.operationId)) = EndpointDescriptor(operationId: \(SwiftNames.literal(endpoint.operationId)), method: \(SwiftNames.literal(endpoint.method)), path: \(SwiftNames.literal(endpoint.path)), requiresAuth: \(endpoint.auth == .bearer), feature: \(feature), errors: [\(errors)])")
                w.line()
            }
            w.line("/// Every endpoint, in spec order.")
            let all = spec.endpoints.map { SwiftNames.identifier($0.operationId) }.joined(separator: ", ")
            w.line("public static let all: [EndpointDescriptor] = [\(all)]")
        }
        let headers = Set(spec.endpoints.flatMap { $0.headers.map(\.name) + $0.responses.flatMap { $0.headers.map(\.name) } }).sorted()
        w.line()
        w.line("/// The HTTP header names the spec uses.")
        w.block("public enum WireHeaders") { w in
            for header in headers {
                w.line("/// `\(header)`.")
                w.line("public static let \(SwiftNames.headerIdentifier(header)) = \(SwiftNames.literal(header))")
            }
        }
    }

    func renderInfo(into w: inout SourceWriter) {
        w.line("/// Which protocol and version this code was generated from.")
        w.block("public enum ProtocolInfo") { w in
            w.line("/// The protocol's machine name.")
            w.line("public static let name = \(SwiftNames.literal(spec.name))")
            w.line("/// The spec version, `MAJOR.MINOR.PATCH`.")
            w.line("public static let version = \(SwiftNames.literal(spec.version.description))")
            w.line("/// The spec's major version: peers must agree on it.")
            w.line("public static let majorVersion = \(spec.version.major)")
            w.line("/// The WebSocket upgrade path.")
            w.line("public static let websocketPath = \(SwiftNames.literal(spec.websocket.path))")
            w.line("/// The `Sec-WebSocket-Protocol` value.")
            w.line("public static let subprotocol = \(SwiftNames.literal(spec.websocket.subprotocol))")
            w.line("/// SHA-256 of the spec files this code was generated from.")
            w.line("public static let specHash = \(SwiftNames.literal(spec.sourceHash))")
        }
    }

    func renderCatalog(into w: inout SourceWriter) {
        w.line("/// Every generated type by its spec name, for tools that work from the spec (tests, conformance).")
        w.block("public enum WireCatalog") { w in
            w.line("/// Schema types by schema name.")
            w.dictionary("public static let schemas: [String: any WireValue.Type]", spec.schemas.map { "\(SwiftNames.literal($0.name)): \($0.name).self" })
            w.line()
            w.line("/// Message types by `type` value.")
            w.dictionary("public static let messages: [String: any WireMessage.Type]", spec.messages.map { "\(SwiftNames.literal($0.name)): \(SwiftNames.messageType($0.name)).self" })
        }
    }
}
