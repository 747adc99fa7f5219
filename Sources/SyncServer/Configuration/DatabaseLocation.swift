import Foundation

/// Where the server keeps its data: a SQLite file (the default, for one process) or a
/// PostgreSQL database (for production and for several server processes sharing it).
public struct DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// The database engine and where its data is.
    public enum Engine: Sendable, Hashable {
        /// A SQLite database file, created if it does not exist.
        case sqlite(path: String)
        /// A PostgreSQL database, which must exist (the server creates its tables).
        case postgres(PostgresURL)
    }

    /// The engine and where its data is.
    public var engine: Engine

    /// A SQLite database at `sqlitePath`.
    public init(sqlitePath: String) {
        self.engine = .sqlite(path: sqlitePath)
    }

    /// A PostgreSQL database.
    public init(postgres url: PostgresURL) {
        self.engine = .postgres(url)
    }

    /// Reads a `--db` value: a SQLite file path. URLs are refused, with a pointer to
    /// `--database-url` for PostgreSQL.
    public init(parsing value: String) throws(ConfigurationError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ConfigurationError(.invalidValue, "the database location is empty; give a SQLite file path such as ./data/sync.sqlite")
        }
        let lowercased = trimmed.lowercased()
        if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
            throw ConfigurationError(.invalidValue, "--db takes a SQLite file path; give a PostgreSQL URL with --database-url (or SYNC_DATABASE_URL) instead")
        }
        if lowercased.contains("://") {
            throw ConfigurationError(.unsupportedDatabase, "the database location must be a SQLite file path such as ./data/sync.sqlite, not a URL")
        }
        self.init(sqlitePath: trimmed)
    }

    /// The SQLite file, when the data is in SQLite.
    public var sqlitePath: String? {
        if case .sqlite(let path) = engine { return path }
        return nil
    }

    /// `sqlite:` and the path, or the PostgreSQL URL without its password.
    public var description: String {
        switch engine {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.description
        }
    }
}
