/// A value bound to a statement or read from a row: the only column types the store uses, so
/// that the same SQL and the same row reading serve SQLite and PostgreSQL alike (JSON is TEXT,
/// booleans are 0 or 1, every number is a 64-bit integer).
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)

    /// The integer, if this is one.
    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The text, if this is text.
    var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// A 64-bit integer bind.
    static func int64(_ value: Int64) -> SQLValue {
        .integer(value)
    }

    /// An `Int` bind, such as a page size.
    static func int(_ value: Int) -> SQLValue {
        .integer(Int64(value))
    }

    /// A bind that is NULL for `nil`.
    static func optional(_ value: String?) -> SQLValue {
        value.map(SQLValue.text) ?? .null
    }

    /// A bind that is NULL for `nil`.
    static func optional(_ value: Int64?) -> SQLValue {
        value.map(SQLValue.integer) ?? .null
    }

    /// A boolean as 0 or 1.
    static func flag(_ value: Bool) -> SQLValue {
        .integer(value ? 1 : 0)
    }
}

/// One result row: its column names and values, in the statement's order.
struct SQLRow: Sendable {
    var names: [String]
    var values: [SQLValue]

    /// The value of the first column called `name`; `nil` when there is none.
    func column(_ name: String) -> SQLValue? {
        names.firstIndex(of: name).map { values[$0] }
    }
}

/// One database connection that a caller holds exclusively (inside a transaction or for a read),
/// running the store's portable SQL. Placeholders are written `?`, in order; an engine that
/// numbers them (PostgreSQL's `$1`) rewrites them, so the SQL must hold no `?` anywhere else.
protocol SQLExecutor: Sendable {
    /// Runs one statement with bound values and returns its rows; a failure is a `StoreError`
    /// naming `operation`, never the values.
    func rows(_ sql: String, _ binds: [SQLValue], operation: String) async throws -> [SQLRow]

    /// Runs one statement with bound values, ignoring any rows (which need not be of the types
    /// `SQLValue` holds).
    func run(_ sql: String, _ binds: [SQLValue], operation: String) async throws
}

extension SQLExecutor {
    /// Runs one statement without binds and returns its rows.
    func rows(_ sql: String, operation: String) async throws -> [SQLRow] {
        try await rows(sql, [], operation: operation)
    }

    /// Runs one statement with bound values, ignoring any rows.
    func run(_ sql: String, _ binds: [SQLValue], operation: String) async throws {
        _ = try await rows(sql, binds, operation: operation)
    }

    /// Runs one statement without binds, ignoring any rows.
    func run(_ sql: String, operation: String) async throws {
        try await run(sql, [], operation: operation)
    }

    /// The single value of the first row's `column`, if there is a row.
    func value(_ sql: String, _ binds: [SQLValue] = [], column: String, operation: String) async throws -> SQLValue? {
        try await rows(sql, binds, operation: operation).first?.column(column)
    }
}
