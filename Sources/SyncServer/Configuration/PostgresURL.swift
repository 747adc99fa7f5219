import Foundation

/// Where a PostgreSQL database is and how to log in, read from a libpq-style URL:
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`, or with `?host=/socket/folder`
/// for a Unix socket. Its description never shows the password.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection is encrypted (libpq's `sslmode`, the modes that need no client
    /// certificate).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never: for loopback and Unix sockets.
        case disable
        /// When the server offers it (libpq's default).
        case prefer
        /// Always, verifying the server's certificate against the system's roots.
        case require
    }

    /// The server's host name or address; ignored when `socketFolder` is set.
    public var host: String
    /// The TCP port, and the number in the socket file's name.
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// Its password, if the server asks for one.
    public var password: String?
    /// The database.
    public var database: String
    /// Encryption of TCP connections.
    public var tls: TLSMode
    /// A folder holding the server's Unix socket (`.s.PGSQL.PORT`), instead of TCP.
    public var socketFolder: String?

    /// Creates a location.
    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String? = nil, database: String,
                tls: TLSMode = .prefer, socketFolder: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.socketFolder = socketFolder
    }

    /// Reads a `postgres://` or `postgresql://` URL. The user defaults to `postgres`, the port to
    /// 5432, the database to the user's name; `sslmode` may be `disable`, `prefer` or `require`.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw ConfigurationError(.invalidValue, "the database URL must look like postgres://user:password@host:5432/database")
        }
        var options: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value, options.updateValue(value, forKey: item.name) == nil else {
                throw ConfigurationError(.invalidValue, "the database URL gives the option '\(item.name)' without a value or twice")
            }
        }
        let tls: TLSMode
        switch options.removeValue(forKey: "sslmode") {
        case nil: tls = .prefer
        case let mode?:
            guard let known = TLSMode(rawValue: mode) else {
                let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError(.invalidValue, "the database URL's sslmode must be one of \(modes)")
            }
            tls = known
        }
        let socketFolder = options.removeValue(forKey: "host")
        if let unknown = options.keys.sorted().first {
            throw ConfigurationError(.invalidValue, "the database URL has the option '\(unknown)', which the server does not know (known: sslmode, host)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ConfigurationError(.invalidValue, "the database URL's port must be between 1 and 65535")
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        let path = String(components.path.drop(while: { $0 == "/" }))
        guard !path.contains("/") else {
            throw ConfigurationError(.invalidValue, "the database URL's path must be one database name")
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || socketFolder != nil else {
            throw ConfigurationError(.invalidValue, "the database URL names no host; give postgres://user@host/database or ?host=/socket/folder")
        }
        self.init(host: host ?? "localhost", port: port, user: user, password: components.password,
                  database: path.isEmpty ? user : path, tls: tls, socketFolder: socketFolder)
    }

    /// The path of the Unix socket, when connecting through one.
    public var socketPath: String? {
        socketFolder.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// The URL with `***` for the password.
    public var description: String {
        let login = password == nil ? user : "\(user):***"
        let place = socketFolder == nil ? "\(host):\(port)" : ""
        var options: [String] = []
        if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
        if let socketFolder { options.append("host=\(socketFolder)") }
        return "postgres://\(login)@\(place)/\(database)" + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }
}
