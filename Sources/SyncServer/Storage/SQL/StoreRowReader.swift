import SyncProtocol

/// Reads typed columns from a row. A missing or mistyped column is a `corrupt` store error that
/// names the column, never its content.
struct StoreRowReader {
    let row: SQLRow
    let operation: String

    func text(_ column: String) throws -> String {
        guard case .text(let value) = try data(column) else { throw corrupt(column) }
        return value
    }

    func optionalText(_ column: String) throws -> String? {
        switch try data(column) {
        case .null: return nil
        case .text(let value): return value
        default: throw corrupt(column)
        }
    }

    func int(_ column: String) throws -> Int64 {
        guard case .integer(let value) = try data(column) else { throw corrupt(column) }
        return Int64(value)
    }

    func optionalInt(_ column: String) throws -> Int64? {
        switch try data(column) {
        case .null: return nil
        case .integer(let value): return Int64(value)
        default: throw corrupt(column)
        }
    }

    func bool(_ column: String) throws -> Bool {
        switch try int(column) {
        case 0: return false
        case 1: return true
        default: throw corrupt(column)
        }
    }

    /// A string column holding one of an enum's raw values.
    func value<E: RawRepresentable<String>>(_ type: E.Type, _ column: String) throws -> E {
        guard let value = E(rawValue: try text(column)) else { throw corrupt(column) }
        return value
    }

    /// A nullable string column holding one of an enum's raw values.
    func optionalValue<E: RawRepresentable<String>>(_ type: E.Type, _ column: String) throws -> E? {
        guard let text = try optionalText(column) else { return nil }
        guard let value = E(rawValue: text) else { throw corrupt(column) }
        return value
    }

    /// A TEXT column holding JSON, decoded as stored (without the wire checks, so that whatever
    /// was written reads back).
    func json<T: Decodable & WireJSONCodable>(_ type: T.Type, _ column: String) throws -> T {
        try StoreJSON.decode(type, from: try text(column), orThrow: corrupt(column))
    }

    func optionalJSON<T: Decodable & WireJSONCodable>(_ type: T.Type, _ column: String) throws -> T? {
        guard let text = try optionalText(column) else { return nil }
        return try StoreJSON.decode(type, from: text, orThrow: corrupt(column))
    }

    private func data(_ column: String) throws -> SQLValue {
        guard let data = row.column(column) else { throw corrupt(column) }
        return data
    }

    private func corrupt(_ column: String) -> StoreError {
        StoreError(.corrupt, operation: operation, engineReason: "unreadable column \(column)")
    }
}
