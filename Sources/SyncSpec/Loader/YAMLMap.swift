import Foundation
package import Yams

/// A YAML node of one file, with its location; shared with the conformance runner's vector loader.
package struct YAMLNode {
    /// The Yams node.
    package let node: Node
    /// The file it was read from.
    package let file: String

    /// Wraps `node` read from `file`.
    package init(node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Where the node starts.
    package var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// The scalar's text, or `nil` when the node is a mapping or sequence.
    package var scalar: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// Whether the scalar was written without quotes (and so may be a number, bool or null).
    package var isPlainScalar: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain }
        return false
    }

    /// The value of an unquoted finite numeric scalar; `nil` otherwise.
    package var number: Double? {
        guard isPlainScalar, let text = scalar, let number = Double(text.replacingOccurrences(of: "_", with: "")), number.isFinite else {
            return nil
        }
        return number
    }

    /// The items of a sequence; `nil` when not a sequence.
    package var sequence: [YAMLNode]? {
        if case .sequence(let sequence) = node { return sequence.map { YAMLNode(node: $0, file: file) } }
        return nil
    }

    /// The mapping's entries with string keys, in order; `nil` when not a mapping.
    package var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.map { (key: $0.key.string ?? "", keyNode: YAMLNode(node: $0.key, file: file), value: YAMLNode(node: $0.value, file: file)) }
    }

    /// What kind of node this is, for messages.
    package var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// Reads a YAML mapping key by key, remembering which keys were read so unknown ones are reported.
final class YAMLMap {
    let node: YAMLNode
    let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    private let sink: DiagnosticSink
    private var read: Set<String> = []

    /// `nil` (with a diagnostic) when the node is not a mapping. Duplicate keys are reported.
    init?(_ node: YAMLNode, what: String, sink: DiagnosticSink) {
        guard let entries = node.entries else {
            sink.error(node.location, "\(what) must be a mapping, found \(node.kindName)")
            return nil
        }
        self.node = node
        self.entries = entries
        self.sink = sink
        var seen: [String: SourceLocation] = [:]
        for entry in entries {
            if let first = seen[entry.key] {
                sink.error(entry.keyNode.location, "duplicate key '\(entry.key)' in \(what) (first at \(first))")
            } else {
                seen[entry.key] = entry.keyNode.location
            }
        }
    }

    var location: SourceLocation { node.location }

    /// The value under `key`, marking it read.
    func value(_ key: String) -> YAMLNode? {
        read.insert(key)
        return entries.first { $0.key == key }?.value
    }

    /// A string value; reports a missing required key or a non-scalar.
    func string(_ key: String, required: Bool = false, in what: String) -> String? {
        guard let value = value(key) else {
            if required { sink.error(location, "\(what) has no '\(key)'") }
            return nil
        }
        guard let text = value.scalar else {
            sink.error(value.location, "'\(key)' of \(what) must be a scalar, found \(value.kindName)")
            return nil
        }
        return text
    }

    /// An integer value.
    func int(_ key: String, required: Bool = false, in what: String) -> Int64? {
        guard let value = value(key) else {
            if required { sink.error(location, "\(what) has no '\(key)'") }
            return nil
        }
        guard value.isPlainScalar, let text = value.scalar, let number = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            sink.error(value.location, "'\(key)' of \(what) must be an integer")
            return nil
        }
        return number
    }

    /// A finite number (integer or decimal).
    func number(_ key: String, required: Bool = false, in what: String) -> Double? {
        guard let value = value(key) else {
            if required { sink.error(location, "\(what) has no '\(key)'") }
            return nil
        }
        guard let number = value.number else {
            sink.error(value.location, "'\(key)' of \(what) must be a number")
            return nil
        }
        return number
    }

    /// A boolean value (`true` or `false`).
    func bool(_ key: String, in what: String) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value.isPlainScalar ? value.scalar : nil {
        case "true": return true
        case "false": return false
        default:
            sink.error(value.location, "'\(key)' of \(what) must be true or false")
            return nil
        }
    }

    /// A list of strings.
    func strings(_ key: String, in what: String) -> [(String, SourceLocation)] {
        guard let value = value(key) else { return [] }
        guard let items = value.sequence else {
            sink.error(value.location, "'\(key)' of \(what) must be a list")
            return []
        }
        return items.compactMap { item in
            guard let text = item.scalar else {
                sink.error(item.location, "items of '\(key)' in \(what) must be scalars")
                return nil
            }
            return (text, item.location)
        }
    }

    /// Reports every key that was never read.
    func rejectUnknownKeys(in what: String) {
        for entry in entries where !read.contains(entry.key) {
            sink.error(entry.keyNode.location, "unknown key '\(entry.key)' in \(what)")
        }
    }
}
