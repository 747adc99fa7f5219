public import Foundation
import Glibc
import Synchronization

/// The PostgreSQL server that tests use: the one `SYNC_TEST_POSTGRES_URL` names (`.ci/run` starts
/// one; the URL's database is the maintenance database, such as `postgres`), or else a throwaway
/// cluster that this process starts in a temporary folder on first use and stops when it exits.
/// Each test gets a database of its own (`createDatabase`), dropped afterwards.
public enum TestPostgres {
    /// How to reach the server.
    public struct Server: Sendable {
        /// Host name or address.
        public var host: String
        /// TCP port.
        public var port: Int
        /// A role that may create databases.
        public var user: String
        /// Its password, if any.
        public var password: String?

        /// A `postgres://` URL of one of its databases, without TLS (loopback).
        public func url(database: String) -> String {
            let login = password.map { "\(user):\($0)" } ?? user
            return "postgres://\(login)@\(host):\(port)/\(database)?sslmode=disable"
        }
    }

    /// The environment variable naming a running server.
    public static let environmentVariable = "SYNC_TEST_POSTGRES_URL"

    private static let state = Mutex<Result<Server, TestPostgresFailure>?>(nil)

    /// The server, started on first use when the environment names none.
    public static func server() throws -> Server {
        try state.withLock { state in
            if state == nil { state = Result { try locate() }.mapError { $0 as? TestPostgresFailure ?? TestPostgresFailure("\($0)") } }
            return try state!.get()
        }
    }

    /// A new, empty database; its name.
    public static func createDatabase() throws -> String {
        let name = "mobilesync_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql("CREATE DATABASE \(name)")
        return name
    }

    /// Drops a database made by `createDatabase`, ending any connection still open to it.
    public static func dropDatabase(_ name: String) throws {
        try psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The URL of one of the server's databases.
    public static func url(database: String) throws -> String {
        try server().url(database: database)
    }

    /// Runs one SQL command on the maintenance database with `psql`.
    public static func psql(_ command: String) throws {
        let server = try server()
        var environment = ["PGCONNECT_TIMEOUT": "10"]
        if let password = server.password { environment["PGPASSWORD"] = password }
        try run(binary("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-p", "\(server.port)", "-U", server.user,
                                 "-d", "postgres", "-c", command], environment: environment)
    }

    // MARK: - Finding or starting the server

    private static func locate() throws -> Server {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], !text.isEmpty {
            guard let url = URLComponents(string: text), let host = url.host else {
                throw TestPostgresFailure("\(environmentVariable) must look like postgres://user@127.0.0.1:5432/postgres")
            }
            return Server(host: host, port: url.port ?? 5432, user: url.user ?? "postgres", password: url.password)
        }
        return try startCluster()
    }

    /// initdb and pg_ctl in a temporary folder (as the `postgres` user when running as root, which
    /// PostgreSQL refuses to run as), listening on 127.0.0.1 at a free port.
    private static func startCluster() throws -> Server {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mobilesync-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot {
            try run(URL(fileURLWithPath: "/bin/chown"), ["postgres:postgres", folder])
        }
        let data = folder + "/data"
        try run(binary("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres: asRoot)
        let port = try freePort()
        let options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off"
        try run(binary("pg_ctl"), ["-D", data, "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"], asPostgres: asRoot)
        ownCluster.withLock { $0 = (data: data, folder: folder, asRoot: asRoot) }
        atexit { TestPostgres.stopOwnCluster() }
        return Server(host: "127.0.0.1", port: port, user: "postgres", password: nil)
    }

    private static let ownCluster = Mutex<(data: String, folder: String, asRoot: Bool)?>(nil)

    /// Stops the cluster this process started, at exit.
    private static func stopOwnCluster() {
        guard let cluster = ownCluster.withLock({ $0 }) else { return }
        try? run(binary("pg_ctl"), ["-D", cluster.data, "-m", "immediate", "-w", "stop"], asPostgres: cluster.asRoot)
        try? FileManager.default.removeItem(atPath: cluster.folder)
    }

    /// A PostgreSQL program: from PATH, else from Debian's `/usr/lib/postgresql/VERSION/bin`
    /// (the newest), where the `postgresql` package puts the server programs.
    private static func binary(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return URL(fileURLWithPath: "\(folder)/\(name)")
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw TestPostgresFailure("'\(name)' was not found: install PostgreSQL 14 or later (Debian: apt-get install postgresql) or set \(environmentVariable)")
    }

    private static func run(_ executable: URL, _ arguments: [String], asPostgres: Bool = false, environment: [String: String] = [:]) throws {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable.path] + arguments : [executable.path] + arguments
        do {
            _ = try BlockingProcess.run(argv, environment: environment)
        } catch let failure as BlockingProcessFailure {
            throw TestPostgresFailure(failure.description)
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (the kernel's pick for port 0).
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestPostgresFailure("no socket for a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw TestPostgresFailure("could not bind a socket for a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the tests' PostgreSQL server could not be used.
public struct TestPostgresFailure: Error, CustomStringConvertible {
    /// What went wrong and how to fix it.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
