import Foundation

/// The second pipeline stage: checks that a loaded spec is consistent (references resolve, names
/// follow the conventions, constraints fit their types, every example passes its own schema).
public enum SpecLinter {
    /// Error codes the generated codec raises itself, so every spec must define them.
    public static let codecErrorCodes = ["malformed_frame", "unknown_message_type", "invalid_message"]

    /// Loads and lints the spec in `directory`: every diagnostic, sorted by place.
    public static func lint(directory: String) -> LoadResult {
        finish(SpecLoader.load(directory: directory))
    }

    /// Loads and lints in-memory spec files.
    public static func lint(files: [SpecFile]) -> LoadResult {
        finish(SpecLoader.load(files: files))
    }

    /// Semantic problems of an already loaded spec.
    public static func lint(_ spec: ProtocolSpec) -> [Diagnostic] {
        let sink = DiagnosticSink()
        let context = LintContext(spec: spec, sink: sink)
        context.checkNames()
        context.checkRegistry()
        context.checkTypes()
        context.checkMessages()
        context.checkEndpoints()
        context.checkRequirements()
        context.checkRetries()
        context.checkCloseCodes()
        context.checkGuides()
        context.checkAcceptedBreaks()
        context.checkMonitoring()
        context.checkExamples()
        return sink.diagnostics
    }

    private static func finish(_ result: LoadResult) -> LoadResult {
        var result = result
        if let spec = result.spec { result.diagnostics += lint(spec) }
        result.diagnostics.sort { lhs, rhs in
            let l = lhs.location ?? SourceLocation(file: "", line: 0, column: 0)
            let r = rhs.location ?? SourceLocation(file: "", line: 0, column: 0)
            return (l.file, l.line, l.column, lhs.message) < (r.file, r.line, r.column, rhs.message)
        }
        return result
    }
}

/// The spec being linted, the sink, and the checks, split by subject over several files.
struct LintContext {
    let spec: ProtocolSpec
    let sink: DiagnosticSink

    static let snakeCase = "^[a-z][a-z0-9_]*$"
    static let upperCamelCase = "^[A-Z][A-Za-z0-9]*$"
    static let lowerCamelCase = "^[a-z][A-Za-z0-9]*$"
    static let requirementId = "^[A-Z]+-[1-9][0-9]*$"

    func expect(_ name: String, matches pattern: String, _ what: String, at location: SourceLocation) {
        if !ValueChecker.matches(name, pattern: pattern) {
            sink.error(location, "\(what) '\(name)' must match \(pattern)")
        }
    }

    func checkSince(_ info: DefinitionInfo, _ what: String) {
        if info.since > spec.version {
            sink.error(info.location, "\(what) has since \(info.since), later than the spec version \(spec.version)")
        }
    }

    func checkNames() {
        for limit in spec.limits { expect(limit.name, matches: Self.snakeCase, "limit", at: limit.info.location) }
        for error in spec.errors { expect(error.code, matches: Self.snakeCase, "error code", at: error.info.location) }
        for requirement in spec.requirements {
            expect(requirement.id, matches: Self.requirementId, "requirement id", at: requirement.info.location)
        }
        for enumeration in spec.enums {
            expect(enumeration.name, matches: Self.upperCamelCase, "enum", at: enumeration.info.location)
            for value in enumeration.values { expect(value.name, matches: Self.snakeCase, "enum value", at: value.info.location) }
        }
        for schema in spec.schemas { expect(schema.name, matches: Self.upperCamelCase, "schema", at: schema.info.location) }
        for message in spec.messages { expect(message.name, matches: Self.snakeCase, "message", at: message.info.location) }
        for endpoint in spec.endpoints {
            expect(endpoint.operationId, matches: Self.lowerCamelCase, "endpoint", at: endpoint.info.location)
        }
        for guide in spec.guides { expect(guide.name, matches: Self.snakeCase, "guide", at: guide.info.location) }
        checkGeneratedNames()
    }

    /// Names SyncProtocol already uses for its hand-written support and generated catalogs.
    static let reservedTypeNames: Set<String> = [
        "JSONValue", "JSONObject", "ErrorCode", "ErrorInfo", "WireError", "WireIssue", "WireValidatable",
        "WirePath", "Check", "WirePattern", "WireFormat", "WireCodec", "WireValue", "WireMessage",
        "UnknownMessageType", "EndpointDescriptor", "ClientMessage", "ServerMessage", "Limits", "Endpoints",
        "WireHeaders", "ProtocolInfo", "WireCatalog",
    ]

    /// Messages become `<Name>Message` types beside the schemas: no two may share a Swift name,
    /// and none may take a name SyncProtocol reserves.
    private func checkGeneratedNames() {
        var owners: [String: String] = [:]
        for name in Self.reservedTypeNames { owners[name] = "SyncProtocol's support code" }
        for schema in spec.schemas {
            if let owner = owners[schema.name] { sink.error(schema.info.location, "schema name '\(schema.name)' is taken by \(owner)") }
            owners[schema.name] = "schema '\(schema.name)'"
        }
        for enumeration in spec.enums {
            if let owner = owners[enumeration.name] { sink.error(enumeration.info.location, "enum name '\(enumeration.name)' is taken by \(owner)") }
            owners[enumeration.name] = "enum '\(enumeration.name)'"
        }
        for message in spec.messages {
            let typeName = SwiftNames.messageType(message.name)
            if let owner = owners[typeName] {
                sink.error(message.info.location, "message '\(message.name)' would generate type \(typeName), which \(owner) already uses")
            }
            owners[typeName] = "message '\(message.name)'"
        }
    }

    func checkRegistry() {
        for code in SpecLinter.codecErrorCodes where spec.error(code: code) == nil {
            sink.error(spec.errors.first?.info.location, "the error registry must define '\(code)' (the codec reports it)")
        }
        for limit in spec.limits {
            checkSince(limit.info, "limit '\(limit.name)'")
            if limit.value < 0 { sink.error(limit.info.location, "limit '\(limit.name)' must not be negative") }
        }
        for error in spec.errors { checkSince(error.info, "error '\(error.code)'") }
        for enumeration in spec.enums {
            checkSince(enumeration.info, "enum '\(enumeration.name)'")
            if enumeration.values.isEmpty { sink.error(enumeration.info.location, "enum '\(enumeration.name)' has no values") }
            for value in enumeration.values { checkSince(value.info, "value '\(value.name)' of enum '\(enumeration.name)'") }
        }
    }

    func checkRequirements() {
        for requirement in spec.requirements {
            let what = "requirement '\(requirement.id)'"
            checkSince(requirement.info, what)
            if requirement.text.isEmpty { sink.error(requirement.info.location, "\(what) has no 'text'") }
            for code in requirement.errors where spec.error(code: code) == nil {
                sink.error(requirement.info.location, "\(what) names unknown error code '\(code)'")
            }
            for ref in requirement.refs where !resolves(ref) {
                sink.error(requirement.info.location, "\(what) refers to '\(ref)', which does not exist \(Self.refKinds)")
            }
        }
    }

    /// The reference forms `resolves` accepts, for messages.
    static let refKinds = "(use message:, schema:, endpoint:, limit:, error: or requirement:)"

    /// Whether `ref` (`message:push`, `schema:Mutation`, `endpoint:pushBatch`, `limit:NAME`,
    /// `error:CODE` or `requirement:ID`) names something the spec defines.
    func resolves(_ ref: String) -> Bool {
        let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch parts[0] {
        case "message": return spec.message(named: parts[1]) != nil
        case "schema": return spec.schema(named: parts[1]) != nil || spec.enumeration(named: parts[1]) != nil
        case "endpoint": return spec.endpoints.contains { $0.operationId == parts[1] }
        case "limit": return spec.limit(named: parts[1]) != nil
        case "error": return spec.error(code: parts[1]) != nil
        case "requirement": return spec.requirement(id: parts[1]) != nil
        default: return false
        }
    }
}
