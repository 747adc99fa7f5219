import Foundation
public import SyncSpec
import Yams

/// An implementation profile: which optional features it supports, which vectors are known to
/// fail (with reasons) and which are flaky (retried once).
public struct Profile: Sendable, Equatable {
    /// The implementation's name.
    public var name: String?
    /// Supported optional features.
    public var features: [String]
    /// Known-failing vector ids and why.
    public var knownFailing: [String: String]
    /// Flaky vector ids.
    public var flaky: Set<String>

    /// Creates a profile.
    public init(name: String? = nil, features: [String], knownFailing: [String: String] = [:], flaky: Set<String> = []) {
        self.name = name
        self.features = features
        self.knownFailing = knownFailing
        self.flaky = flaky
    }

    /// Reads a profile file; problems come back as diagnostics with their place.
    public static func load(path: String) throws -> Profile {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try parse(text, file: path)
    }

    /// Parses a profile's YAML.
    public static func parse(_ text: String, file: String) throws -> Profile {
        let sink = DiagnosticSink()
        guard let node = try? Yams.compose(yaml: text) else {
            throw ProfileError(diagnostics: [Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "not a YAML mapping")])
        }
        guard let map = YAMLMap(YAMLNode(node: node, file: file), what: "a profile", sink: sink) else {
            throw ProfileError(diagnostics: sink.diagnostics)
        }
        let features = map.strings("features")
        for feature in features where !VectorFormat.features.contains(feature.value) {
            sink.error(feature.location, "unknown feature '\(feature.value)' (known: \(VectorFormat.features.joined(separator: ", ")))")
        }
        var known: [String: String] = [:]
        if let list = map.value("known_failing") {
            for item in list.sequence ?? [] {
                guard let entry = YAMLMap(item, what: "a known_failing entry", sink: sink) else { continue }
                if let id = entry.string("id", required: true) { known[id] = entry.string("reason", required: true) ?? "" }
                entry.rejectUnknownKeys()
            }
            if list.sequence == nil { sink.error(list.location, "known_failing must be a list of {id, reason}") }
        }
        let profile = Profile(name: map.string("name"), features: features.map(\.value), knownFailing: known,
                              flaky: Set(map.strings("flaky").map(\.value)))
        map.rejectUnknownKeys()
        if sink.hasErrors { throw ProfileError(diagnostics: sink.diagnostics) }
        return profile
    }
}

/// A profile file that cannot be used.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and where.
    public var diagnostics: [Diagnostic]
    /// One line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
