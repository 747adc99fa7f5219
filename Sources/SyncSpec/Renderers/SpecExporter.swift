/// The document exporters as one stage: every document generated from the spec, for
/// `sync-spec export` to write into `docs/spec/` and for `--check` to compare.
public enum SpecExporter {
    /// Every exported file, paths relative to the export folder: `openapi.json` (OpenAPI 3.1),
    /// `asyncapi.json` (AsyncAPI 3.0), `schemas/...` (JSON Schema 2020-12) and `reference.md`.
    /// The same spec always gives byte-identical files.
    public static func render(_ spec: ProtocolSpec) -> [GeneratedFile] {
        [
            GeneratedFile(path: "openapi.json", contents: OrderedJSON.object(OpenAPIRenderer.document(spec)).prettyPrinted),
            GeneratedFile(path: "asyncapi.json", contents: OrderedJSON.object(AsyncAPIRenderer.document(spec)).prettyPrinted),
        ] + JSONSchemaRenderer.render(spec) + [
            GeneratedFile(path: "reference.md", contents: MarkdownRenderer.render(spec)),
        ]
    }
}
