import Foundation
import SyncProtocol

/// JSON as the store keeps it in TEXT columns: the canonical wire encoding (sorted keys), so
/// equal values are stored as equal text.
enum StoreJSON {
    static func text(_ value: some Encodable) -> SQLValue {
        .text(String(decoding: WireCodec.encode(value), as: UTF8.self))
    }

    static func optionalText(_ value: (some Encodable)?) -> SQLValue {
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
