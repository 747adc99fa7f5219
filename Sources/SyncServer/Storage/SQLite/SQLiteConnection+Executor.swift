import SQLiteNIO

extension SQLiteConnection: SQLExecutor {
    func rows(_ sql: String, _ binds: [SQLValue], operation: String) async throws -> [SQLRow] {
        let rows: [SQLiteRow]
        do {
            rows = try await query(sql, binds.map(\.sqlite))
        } catch {
            throw StoreError(sqlite: error, operation: operation)
        }
        return try rows.map { row in
            SQLRow(names: row.columns.map(\.name), values: try row.columns.map { column in
                switch column.data {
                case .null: return .null
                case .integer(let value): return .integer(Int64(value))
                case .text(let value): return .text(value)
                case .float, .blob:
                    throw StoreError(.corrupt, operation: operation, engineReason: "unexpected column type of \(column.name)")
                }
            })
        }
    }
}

extension SQLValue {
    /// The value as SQLiteNIO binds it.
    var sqlite: SQLiteData {
        switch self {
        case .null: .null
        case .integer(let value): .integer(Int(value))
        case .text(let value): .text(value)
        }
    }
}

extension StoreError {
    /// Classifies a failure reported by SQLiteNIO. The SQLite message is dropped: it can quote
    /// SQL text, and the result code says enough.
    init(sqlite error: any Error, operation: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? SQLiteError else {
            // For example SQLiteNIO's thread pool refusing work once it has shut down: the type
            // name is enough to tell, and carries no data.
            self.init(.database, operation: operation, engineReason: String(describing: type(of: error)))
            return
        }
        let reason = String(describing: error.reason)
        let code: Code
        if reason.hasPrefix("busy") || reason.hasPrefix("locked") {
            code = .busy
        } else if reason.hasPrefix("constraint") {
            code = .constraint
        } else if reason.hasPrefix("corrupt") || reason == "notADatabase" || reason == "format" {
            code = .corrupt
        } else if reason.hasPrefix("ioError") || reason.hasPrefix("cantOpen") || reason.hasPrefix("readonly")
            || reason == "readOnly" || reason == "full" || reason == "permission" || reason == "noLFS" {
            code = .io
        } else {
            code = .database
        }
        self.init(code, operation: operation, engineReason: reason)
    }
}
