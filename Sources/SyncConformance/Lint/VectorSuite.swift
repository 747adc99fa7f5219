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

    /// Loads and checks `vectorsDirectory` against the spec in `specDirectory` and the schema at
    /// `schemaPath`. A file that violates the schema reports only those problems (the loader's
    /// would repeat them); the others get the loader's and the semantic checks.
    public static func load(vectors vectorsDirectory: String, spec specDirectory: String, schema schemaPath: String) throws -> VectorSuite {
        let specResult = SpecLoader.load(directory: specDirectory)
        var diagnostics = specResult.diagnostics.filter { $0.severity == .error }
        let schema: SchemaCheck?
        do {
            schema = try SchemaCheck.load(path: schemaPath)
        } catch {
            schema = nil
            diagnostics.append(Diagnostic(at: nil, "cannot read the vector schema \(schemaPath): \(error)"))
        }
        var vectors: [Vector] = []
        for path in try VectorLoader.files(in: vectorsDirectory) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (vector, problems) = VectorLoader.load(text: text, file: path)
            let schemaProblems = schema?.check(text: text, file: path) ?? []
            diagnostics += schemaProblems.isEmpty ? problems : schemaProblems
            if let vector, schemaProblems.isEmpty { vectors.append(vector) }
        }
        vectors.sort { $0.id < $1.id }
        diagnostics += VectorLinter.lint(vectors, spec: specResult.spec)
        return VectorSuite(vectors: vectors, spec: specResult.spec, diagnostics: diagnostics)
    }
}
