import SQLiteNIO

extension SQLiteConnection {
    /// Runs one statement with bound values and returns its rows; a failure becomes a
    /// `StoreError` naming `operation`, never the values.
    func rows(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws -> [SQLiteRow] {
        do {
            return try await query(sql, binds)
        } catch {
            throw StoreError(sqlite: error, operation: operation)
        }
    }

    /// Runs one statement with bound values, ignoring any rows.
    func run(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws {
        _ = try await rows(sql, binds, operation: operation)
    }

    /// The single value of the first row's `column`, if there is a row.
    func value(_ sql: String, _ binds: [SQLiteData] = [], column: String, operation: String) async throws -> SQLiteData? {
        try await rows(sql, binds, operation: operation).first?.column(column)
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
