extension LintContext {
    /// An accepted break names a version no later than the spec's own and a path of the
    /// differ's form (dot-separated, starting with a section the differ reports).
    func checkAcceptedBreaks() {
        let sections: Set<String> = ["protocol", "limits", "errors", "close_codes", "requirements", "enums", "schemas", "messages",
                                     "endpoints", "metrics", "alerts"]
        for entry in spec.acceptedBreaks {
            if entry.version > spec.version {
                sink.error(entry.location, "the accepted break '\(entry.change)' is for \(entry.version), later than the spec version \(spec.version)")
            }
            let first = entry.change.split(separator: ".").first.map(String.init) ?? ""
            if !sections.contains(first) || entry.change.split(separator: ".", omittingEmptySubsequences: false).contains("") {
                sink.error(entry.location, "the accepted break '\(entry.change)' is not a change path such as 'endpoints.pushBatch.headers.Idempotency-Key.pattern' (the paths 'sync-spec diff' prints)")
            }
        }
    }
}
