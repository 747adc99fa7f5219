import Foundation

/// Enums, schemas, messages and the fields they hold.
extension SpecBuilder {
    mutating func readEnum(_ name: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "enum '\(name)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let info = info(map, in: what, at: keyLocation)
        var values: [EnumDefinition.Value] = []
        if let valuesNode = map.value("values"), let valuesMap = YAMLMap(valuesNode, what: "values of \(what)", sink: sink) {
            for entry in valuesMap.entries {
                let valueWhat = "value '\(entry.key)' of \(what)"
                // A value may be written bare (`client_wins:`) or with its own description.
                if entry.value.scalar == "" || entry.value.scalar == "~" {
                    sink.error(entry.keyNode.location, "\(valueWhat) has no 'description'")
                    values.append(.init(name: entry.key, info: DefinitionInfo(description: "", location: entry.keyNode.location)))
                    continue
                }
                guard let valueMap = YAMLMap(entry.value, what: valueWhat, sink: sink) else { continue }
                var valueInfo = self.info(valueMap, in: valueWhat)
                valueInfo.location = entry.keyNode.location
                valueMap.rejectUnknownKeys(in: valueWhat)
                values.append(.init(name: entry.key, info: valueInfo))
            }
        } else if map.value("values") == nil {
            sink.error(map.location, "\(what) has no 'values'")
        }
        map.rejectUnknownKeys(in: what)
        enums.append(EnumDefinition(name: name, values: values, info: info))
    }

    mutating func readSchema(_ name: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "schema '\(name)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let info = info(map, in: what, at: keyLocation)
        let fields = readFields(map.value("fields"), of: what)
        let examples = readExamples(map, of: what)
        map.rejectUnknownKeys(in: what)
        schemas.append(SchemaDefinition(name: name, fields: fields, examples: examples, info: info))
    }

    mutating func readMessage(_ name: String, _ node: YAMLNode, at keyLocation: SourceLocation) {
        let what = "message '\(name)'"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let directionText = map.string("direction", required: true, in: what)
        let direction = directionText.flatMap(MessageDirection.init(rawValue:))
        if let directionText, direction == nil {
            sink.error(map.value("direction")?.location, "'direction' of \(what) must be client, server or both, found '\(directionText)'")
        }
        let summary = map.string("summary", required: true, in: what) ?? ""
        let info = info(map, in: what, at: keyLocation)
        let replies = map.strings("replies", in: what).map(\.0)
        let fields = readFields(map.value("fields"), of: what)
        for field in fields where field.name == "type" {
            sink.error(field.info.location, "\(what) must not declare 'type': it is the frame's discriminator")
        }
        let examples = readExamples(map, of: what)
        if examples.isEmpty, map.value("examples") == nil {
            sink.error(map.location, "\(what) has no examples")
        }
        map.rejectUnknownKeys(in: what)
        messages.append(MessageDefinition(name: name, direction: direction ?? .client, summary: summary,
                                          replies: replies, fields: fields, examples: examples, info: info))
    }

    /// Reads a mapping of field name to field definition.
    func readFields(_ node: YAMLNode?, of owner: String) -> [Field] {
        guard let node else { return [] }
        guard let map = YAMLMap(node, what: "fields of \(owner)", sink: sink) else { return [] }
        return map.entries.compactMap { readField($0.key, $0.value, keyLocation: $0.keyNode.location, of: owner) }
    }

    static let constraintKeys = ["min_length", "max_length", "minimum", "maximum", "min_items", "max_items", "max_bytes"]

    func readField(_ name: String, _ node: YAMLNode, keyLocation: SourceLocation, of owner: String) -> Field? {
        let what = "field '\(name)' of \(owner)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        var type = TypeRef.any
        if let text = map.string("type", required: true, in: what) {
            if let parsed = TypeRef(parsing: text) {
                type = parsed
            } else {
                sink.error(map.value("type")?.location, "malformed type '\(text)' of \(what)")
            }
        }
        let required = map.bool("required", in: what) ?? false
        var constraints = Constraints()
        for key in Self.constraintKeys {
            guard let value = map.value(key) else { continue }
            let bound = readBound(value, key: key, in: what)
            switch key {
            case "min_length": constraints.minLength = bound
            case "max_length": constraints.maxLength = bound
            case "minimum": constraints.minimum = bound
            case "maximum": constraints.maximum = bound
            case "min_items": constraints.minItems = bound
            case "max_items": constraints.maxItems = bound
            default: constraints.maxBytes = bound
            }
        }
        constraints.pattern = map.string("pattern", in: what)
        if let format = map.string("format", in: what) {
            constraints.format = StringFormat(rawValue: format)
            if constraints.format == nil {
                let known = StringFormat.allCases.map(\.rawValue).joined(separator: ", ")
                sink.error(map.value("format")?.location, "unknown format '\(format)' of \(what) (known: \(known))")
            }
        }
        let example = map.value("example").map(SpecValueReader.read)
        var info = info(map, in: what)
        info.location = keyLocation
        map.rejectUnknownKeys(in: what)
        return Field(name: name, type: type, required: required, constraints: constraints, example: example, info: info)
    }

    func readBound(_ node: YAMLNode, key: String, in what: String) -> Bound? {
        guard let text = node.scalar else {
            sink.error(node.location, "'\(key)' of \(what) must be a number or a limit name")
            return nil
        }
        if node.isPlainScalar, let number = Int64(text.replacingOccurrences(of: "_", with: "")) {
            return .literal(number)
        }
        guard text.first?.isLetter == true else {
            sink.error(node.location, "'\(key)' of \(what) must be an integer or a limit name, found '\(text)'")
            return nil
        }
        return .limit(text)
    }

    func readExamples(_ map: YAMLMap, of what: String) -> [SpecValue] {
        guard let node = map.value("examples") else { return [] }
        guard let items = node.sequence else {
            sink.error(node.location, "'examples' of \(what) must be a list")
            return []
        }
        return items.map(SpecValueReader.read)
    }
}
