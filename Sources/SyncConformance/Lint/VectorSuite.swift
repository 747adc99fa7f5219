public import SyncSpec

/// The vectors of a folder with the spec they cite, checked: structure (the loader), the JSON
/// Schema rules (`Conformance/vector.schema.json`, mirrored by `SchemaCheck`) and semantics.
public struct VectorSuite: Sendable {
    /// Vectors that loaded, in id order.
    public var vectors: [Vector]
    /// The spec, when it loaded.
    public var spec: ProtocolSpec?
    /// Every problem; any error makes the suite unusable for a run.
    public var diagnostics: [Diagnostic]

    /// Whether there is any error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Loads and checks `vectorsDirectory` against the spec in `specDirectory`.
    public static func load(vectors vectorsDirectory: String, spec specDirectory: String) throws -> VectorSuite {
        let specResult = SpecLoader.load(directory: specDirectory)
        var diagnostics = specResult.diagnostics.filter { $0.severity == .error }
        let loaded = try VectorLoader.load(directory: vectorsDirectory)
        diagnostics += loaded.diagnostics
        diagnostics += VectorLinter.lint(loaded.vectors, spec: specResult.spec)
        return VectorSuite(vectors: loaded.vectors, spec: specResult.spec, diagnostics: diagnostics)
    }
}
