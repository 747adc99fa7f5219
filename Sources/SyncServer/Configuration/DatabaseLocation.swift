import Foundation

/// Where the server keeps its data: for now, a SQLite file.
public struct DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path of the SQLite database file, created if it does not exist.
    public var sqlitePath: String

    /// A SQLite database at `sqlitePath`.
    public init(sqlitePath: String) {
        self.sqlitePath = sqlitePath
    }

    /// Reads a `--db` value: a SQLite file path. PostgreSQL URLs are refused until PostgreSQL
    /// support is built, and so is any other URL.
    public init(parsing value: String) throws(ConfigurationError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ConfigurationError(.invalidValue, "the database location is empty; give a SQLite file path such as ./data/sync.sqlite")
        }
        let lowercased = trimmed.lowercased()
        if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
            throw ConfigurationError(.unsupportedDatabase, """
                PostgreSQL support is not built yet; for now the server stores its data in SQLite. \
                Give a SQLite file path such as ./data/sync.sqlite instead of a postgres:// URL.
                """)
        }
        if lowercased.contains("://") {
            throw ConfigurationError(.unsupportedDatabase, "the database location must be a SQLite file path such as ./data/sync.sqlite, not a URL")
        }
        self.init(sqlitePath: trimmed)
    }

    /// `sqlite:` and the path; never contains credentials.
    public var description: String { "sqlite:\(sqlitePath)" }
}
