import Foundation
import SyncProtocol

/// JSON as the store keeps it in TEXT columns: the canonical wire encoding (sorted keys), so
/// equal values are stored as equal text.
enum StoreJSON {
    static func text(_ value: some Encodable & WireJSONCodable) -> SQLValue {
        var writer = JSONWriter()
        value.writeJSON(to: &writer)
        return .text(String(decoding: writer.bytes, as: UTF8.self))
    }

    /// A JSON object's text, written directly in RFC 8785's canonical form (any JSON reader reads
    /// it back to the same values): several times cheaper than a `JSONEncoder`, for the columns
    /// every mutation writes (a record's fields).
    static func text(_ object: JSONObject) -> SQLValue {
        .text(CanonicalJSON.encode(.object(object)))
    }

    /// Field versions, written directly like `text(_:)` of an object.
    static func text(_ versions: [String: Int64]) -> SQLValue {
        .text(CanonicalJSON.encode(.object(versions.mapValues { .int($0) })))
    }

    static func optionalText(_ value: (some Encodable & WireJSONCodable)?) -> SQLValue {
        guard let value else { return .null }
        return text(value)
    }

    /// Through the generated fast codec, or Foundation where it misses.
    static func decode<T: Decodable & WireJSONCodable>(_ type: T.Type, from text: String, orThrow failure: StoreError) throws -> T {
        let data = Data(text.utf8)
        if let value = JSONReader.read(type, from: data) { return value }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            // The decoder's message can quote the stored text: report only the column.
            throw failure
        }
    }
}
