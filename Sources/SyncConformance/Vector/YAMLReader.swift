import Foundation
import SyncSpec
import Yams

extension YAMLNode {
    /// The node as JSON (YAML 1.2 core schema for plain scalars; quoted scalars are strings).
    var json: JSON {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            return Self.resolvePlain(scalar.string)
        case .sequence:
            return .array((sequence ?? []).map(\.json))
        case .mapping:
            var members: [JSON.Member] = []
            for entry in entries ?? [] where !members.contains(where: { $0.key == entry.key }) {
                members.append(JSON.Member(entry.key, entry.value.json))
            }
            return .object(members)
        case .alias:
            return .null
        }
    }

    static func resolvePlain(_ text: String) -> JSON {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let value = Int64(digits) { return .int(value) }
        if digits.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
           let value = Double(digits) {
            return .double(value)
        }
        return .string(text)
    }
}

/// Collects diagnostics while vectors load and lint.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []

    func error(_ location: SourceLocation?, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads a YAML mapping key by key, so unknown keys can be reported.
final class YAMLMap {
    let node: YAMLNode
    let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    let sink: DiagnosticSink
    let what: String
    private var read: Set<String> = []

    init?(_ node: YAMLNode, what: String, sink: DiagnosticSink) {
        guard let entries = node.entries else {
            sink.error(node.location, "\(what) must be a mapping, found \(node.kindName)")
            return nil
        }
        self.node = node
        self.entries = entries
        self.sink = sink
        self.what = what
        var seen: Set<String> = []
        for entry in entries where !seen.insert(entry.key).inserted {
            sink.error(entry.keyNode.location, "duplicate key '\(entry.key)' in \(what)")
        }
    }

    var location: SourceLocation { node.location }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    func value(_ key: String, required: Bool = false) -> YAMLNode? {
        read.insert(key)
        guard let value = entries.first(where: { $0.key == key })?.value else {
            if required { sink.error(location, "\(what) has no '\(key)'") }
            return nil
        }
        return value
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let text = value.scalar else {
            sink.error(value.location, "'\(key)' of \(what) must be a string, found \(value.kindName)")
            return nil
        }
        return text
    }

    func int(_ key: String, required: Bool = false) -> Int? {
        guard let value = value(key, required: required) else { return nil }
        guard case .int(let number) = value.json else {
            sink.error(value.location, "'\(key)' of \(what) must be an integer")
            return nil
        }
        return Int(number)
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value.json else {
            sink.error(value.location, "'\(key)' of \(what) must be true or false")
            return nil
        }
        return flag
    }

    func strings(_ key: String) -> [Located<String>] {
        guard let value = value(key) else { return [] }
        guard let items = value.sequence else {
            sink.error(value.location, "'\(key)' of \(what) must be a list")
            return []
        }
        return items.compactMap { item in
            guard let text = item.scalar else {
                sink.error(item.location, "items of '\(key)' in \(what) must be strings")
                return nil
            }
            return Located(text, at: item.location)
        }
    }

    /// The members of a mapping-valued key, in order.
    func members(_ key: String) -> [JSON.Member] {
        guard let value = value(key) else { return [] }
        guard value.entries != nil, let members = value.json.members else {
            sink.error(value.location, "'\(key)' of \(what) must be a mapping")
            return []
        }
        return members
    }

    func rejectUnknownKeys() {
        for entry in entries where !read.contains(entry.key) {
            sink.error(entry.keyNode.location, "unknown key '\(entry.key)' in \(what)")
        }
    }
}
