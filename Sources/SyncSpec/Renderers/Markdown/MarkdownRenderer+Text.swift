import Foundation

/// Markdown building blocks: anchors, links, tables, type and constraint text.
extension MarkdownRenderer {
    /// An HTML anchor that links can target with `#id`.
    func anchor(_ id: String) -> String { "<a id=\"\(id)\"></a>" }

    func messageLink(_ name: String) -> String { "[`\(name)`](#message-\(name))" }

    func endpointLink(_ operationId: String) -> String { "[`\(operationId)`](#endpoint-\(operationId))" }

    func errorLink(_ code: String) -> String { "[`\(code)`](#error-\(code))" }

    func limitLink(_ name: String) -> String { "[`\(name)`](#limit-\(name))" }

    func requirementLink(_ id: String) -> String { "[\(id)](#req-\(id))" }

    /// A link for `message:push`, `schema:Mutation`, `endpoint:pushBatch`, `limit:max_frame_bytes`,
    /// `error:sequence_gap` or `requirement:CL-2`.
    func refLink(_ ref: String) -> String {
        let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return "`\(ref)`" }
        switch parts[0] {
        case "message": return messageLink(parts[1])
        case "schema": return typeLink(parts[1])
        case "endpoint": return endpointLink(parts[1])
        case "limit": return limitLink(parts[1])
        case "error": return errorLink(parts[1])
        case "requirement": return requirementLink(parts[1])
        default: return "`\(ref)`"
        }
    }

    /// A link to a schema or enum by name.
    func typeLink(_ name: String) -> String {
        spec.enumeration(named: name) == nil ? "[`\(name)`](#schema-\(name))" : "[`\(name)`](#enum-\(name))"
    }

    /// A type in words, named types linked.
    func typeText(_ type: TypeRef) -> String {
        switch type {
        case .named(let name): typeLink(name)
        case .array(let element): "array of \(typeText(element))"
        case .map(let value): "map of string to \(typeText(value))"
        default: "`\(type)`"
        }
    }

    func directionText(_ direction: MessageDirection) -> String {
        switch direction {
        case .client: "client → server"
        case .server: "server → client"
        case .both: "either side"
        }
    }

    /// The constraints as `key value` items; a limit shows its name and value.
    func constraintsText(_ constraints: Constraints) -> String {
        var items = constraints.bounds.map { key, bound in
            switch bound {
            case .literal(let value): "\(key) \(value)"
            case .limit(let name): "\(key) \(limitLink(name)) (\(spec.resolve(bound).map(String.init) ?? "?"))"
            }
        }
        if let pattern = constraints.pattern { items.append("pattern `\(pattern)`") }
        if let format = constraints.format { items.append("format `\(format.rawValue)`") }
        return items.joined(separator: ", ")
    }

    /// A table of fields; `leading` rows come first (such as a message's `type`).
    func fieldsTable(_ fields: [Field], first leading: [[String]] = []) -> String {
        let rows = leading + fields.map { field in
            var notes = [Self.describe(field.info)]
            if field.info.since != .initial { notes.append("Since \(field.info.since).") }
            if let example = field.example { notes.append("Example: `\(OrderedJSON(example).compactPrinted)`.") }
            return ["`\(field.name)`", typeText(field.type), field.required ? "yes" : "no",
                    cell(constraintsText(field.constraints)), cell(notes.joined(separator: " "))]
        }
        return Self.table(["Name", "Type", "Required", "Constraints", "Description"], rows)
    }

    /// Examples as fenced JSON blocks.
    func exampleBlocks(_ examples: [SpecValue]) -> [String] {
        examples.map { "```json\n" + OrderedJSON($0).prettyPrinted + "```" }
    }

    /// `Since` and `Deprecated` lines for a definition, when they apply.
    func versionNotes(_ info: DefinitionInfo) -> [String] {
        var notes: [String] = []
        if info.since != .initial { notes.append("Since version \(info.since).") }
        if let deprecated = info.deprecated { notes.append("> **Deprecated:** \(deprecated)") }
        return notes
    }

    /// Text made safe for a table cell: one line, pipes escaped; empty becomes a dash.
    func cell(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.isEmpty ? "—" : line.replacingOccurrences(of: "|", with: "\\|")
    }

    /// A description followed by its deprecation note.
    static func describe(_ info: DefinitionInfo) -> String {
        guard let deprecated = info.deprecated else { return info.description }
        return info.description + " **Deprecated:** \(deprecated)"
    }

    /// A GitHub-flavoured Markdown table.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        let lines = [headers, headers.map { _ in "---" }] + rows
        return lines.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
    }
}
