/// Builds Swift source line by line with indentation.
struct SourceWriter {
    private(set) var lines: [String] = []
    private var depth = 0

    /// Appends a line at the current indentation; an empty string appends a blank line.
    mutating func line(_ text: String = "") {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: depth) + text)
    }

    /// Appends doc-comment lines for `text`, if any.
    mutating func doc(_ text: String) {
        for comment in SwiftNames.docComment(text) { line(comment) }
    }

    /// Appends `header {`, the body one level deeper, and `}`.
    mutating func block(_ header: String, _ body: (inout SourceWriter) -> Void) {
        list(header + " {", close: "}", body)
    }

    /// Appends `declaration = [` with one `entry,` per line and `]`, or `= [:]` when there are none.
    mutating func dictionary(_ declaration: String, _ entries: [String]) {
        guard !entries.isEmpty else {
            line(declaration + " = [:]")
            return
        }
        list(declaration + " = [", close: "]") { writer in
            for entry in entries { writer.line(entry + ",") }
        }
    }

    private mutating func list(_ opening: String, close: String, _ body: (inout SourceWriter) -> Void) {
        line(opening)
        depth += 1
        body(&self)
        depth -= 1
        line(close)
    }

    /// The text, ending with a newline.
    var text: String { lines.joined(separator: "\n") + "\n" }
}
