import Foundation
import SQLiteNIO
import SyncProtocol

/// JSON as the store keeps it in TEXT columns: the canonical wire encoding (sorted keys), so
/// equal values are stored as equal text.
enum StoreJSON {
    static func text(_ value: some Encodable) -> SQLiteData {
        .text(String(decoding: WireCodec.encode(value), as: UTF8.self))
    }

    static func optionalText(_ value: (some Encodable)?) -> SQLiteData {
        guard let value else { return .null }
        return text(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, orThrow failure: StoreError) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            // The decoder's message can quote the stored text: report only the column.
            throw failure
        }
    }
}

extension SQLiteData {
    /// A 64-bit integer bind.
    static func int64(_ value: Int64) -> SQLiteData {
        .integer(SQLiteInt64(value))
    }

    /// A bind that is NULL for `nil`.
    static func optional(_ value: String?) -> SQLiteData {
        value.map(SQLiteData.text) ?? .null
    }

    /// A bind that is NULL for `nil`.
    static func optional(_ value: Int64?) -> SQLiteData {
        value.map(SQLiteData.int64) ?? .null
    }

    /// A boolean as 0 or 1.
    static func flag(_ value: Bool) -> SQLiteData {
        .integer(value ? 1 : 0)
    }
}
