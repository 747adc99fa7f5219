public import Foundation

/// A generated wire type: JSON codable, comparable, and able to validate itself.
public typealias WireValue = Codable & Hashable & Sendable & WireValidatable & WireJSONCodable

/// A generated WebSocket message type.
public protocol WireMessage: Codable, Hashable, Sendable, WireValidatable, WireJSONCodable {
    /// The frame's `type` value.
    static var messageType: String { get }
}

/// Encoding and decoding of wire values with the spec's error codes.
public enum WireCodec {
    /// The canonical encoder: keys sorted, `/` unescaped, so equal values encode to equal bytes.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes a generated value canonically through its fast codec: the same bytes as `encoder`.
    public static func encode<T: Encodable & WireJSONCodable>(_ value: T) -> Data {
        var writer = JSONWriter()
        value.writeJSON(to: &writer)
        return Data(writer.bytes)
    }

    /// Decodes `type` from JSON and validates it: the value, or the spec's error with every issue.
    /// The generated fast codec reads it, or Foundation when the fast path misses (which then
    /// decides, and explains a failure).
    public static func decode<T: Decodable & WireValidatable & WireJSONCodable>(_ type: T.Type, from data: Data) throws(WireError) -> T {
        if let value = JSONReader.read(T.self, from: data) { return try validated(value) }
        return try validated(foundationDecode(T.self, from: data))
    }

    private static func foundationDecode<T: Decodable & WireValidatable>(_ type: T.Type, from data: Data) throws(WireError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw explainFailure(of: T.self, frame: data, error: error)
        }
    }

    private static func validated<T: WireValidatable>(_ value: T) throws(WireError) -> T {
        var issues: [WireIssue] = []
        value.collectIssues(at: WirePath(), into: &issues)
        if !issues.isEmpty {
            throw WireError(code: .invalidMessage, message: summary(of: issues), issues: WireIssue.bounded(issues))
        }
        return value
    }

    /// Maps a decoding failure to `malformed_frame` (not a JSON object, no `type`),
    /// `unknown_message_type`, or `invalid_message` with the offending path. With the `frame`,
    /// a failure without a path in a well-formed JSON object (Foundation reports a number that
    /// does not fit its field that way on Linux) is `invalid_message`, not `malformed_frame`.
    public static func wireError(from error: any Error, frame: Data? = nil) -> WireError {
        if let error = error as? WireError { return error }
        if let unknown = error as? UnknownMessageType {
            return WireError(code: .unknownMessageType, message: "unknown message type '\(unknown.type.prefix(64))'")
        }
        guard let error = error as? DecodingError else {
            return WireError(code: .malformedFrame, message: "the frame is not valid JSON")
        }
        let (path, message): (String, String)
        switch error {
        case .keyNotFound(let key, let context):
            (path, message) = (render(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            (path, message) = (render(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            (path, message) = (render(context.codingPath), "must be \(describe(type))")
        case .dataCorrupted(let context):
            (path, message) = (render(context.codingPath), context.underlyingError == nil ? context.debugDescription : "is not valid JSON")
        @unknown default:
            (path, message) = ("", "cannot be decoded")
        }
        if path.isEmpty, let frame, (try? JSONSerialization.jsonObject(with: frame)) is [String: Any] {
            return WireError(code: .invalidMessage, message: "a value does not fit its field (wrong type or out of range)",
                             issues: [WireIssue(path: "", message: "a value does not fit its field")])
        }
        if path.isEmpty || path == "type" {
            return WireError(code: .malformedFrame, message: path.isEmpty ? "the frame must be a JSON object: \(message)" : "the frame's type \(message)")
        }
        return WireError(code: .invalidMessage, message: "\(path): \(message)", issues: [WireIssue(path: path, message: message)])
    }

    private static func render(_ codingPath: [any CodingKey]) -> String {
        var path = WirePath()
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                path = path.appending(index: index)
            } else {
                path = path.appending(key.stringValue)
            }
        }
        return path.description
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// Thrown by the generated envelopes for a `type` the spec does not define for that direction.
public struct UnknownMessageType: Error, Sendable {
    /// The `type` the frame carried.
    public var type: String

    /// Creates the error.
    public init(type: String) {
        self.type = type
    }
}
